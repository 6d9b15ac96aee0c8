package io.rstmdb.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Overlays a YAML document on a configuration. Unknown keys are ignored (as the reference does); a
 * known key with a value of the wrong type fails with a {@link ConfigException} naming it.
 */
final class YamlConfigReader {

  private YamlConfigReader() {}

  static ServerConfig apply(String yaml, ServerConfig base) {
    JsonNode root;
    try {
      root = YamlTreeReader.read(yaml);
    } catch (IOException e) {
      throw new ConfigException("RSTMDB_CONFIG", "not valid YAML: " + oneLine(e.getMessage()), e);
    }
    if (root == null || root.isNull()) {
      return base;
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "RSTMDB_CONFIG", "the file must be a mapping of sections (network:, storage:, ...)");
    }
    Section top = new Section(root, "");
    return base.withNetwork(network(top.section("network"), base.network()))
        .withStorage(storage(top.section("storage"), base.storage()))
        .withCompaction(compaction(top.section("compaction"), base.compaction()))
        .withAuth(auth(top.section("auth"), base.auth()))
        .withTls(tls(top.section("tls"), base.tls()))
        .withMetrics(metrics(top.section("metrics"), base.metrics()));
  }

  private static NetworkConfig network(Section s, NetworkConfig c) {
    return new NetworkConfig(
        s.string("bind_addr", c.bindAddr()),
        s.number("idle_timeout_secs", c.idleTimeoutSecs(), SettingLimits.MAX_SECONDS),
        (int) s.number("max_connections", c.maxConnections(), Integer.MAX_VALUE),
        s.number("handshake_timeout_secs", c.handshakeTimeoutSecs(), SettingLimits.MAX_SECONDS),
        (int)
            s.number(
                "max_subscriptions_per_connection",
                c.maxSubscriptionsPerConnection(),
                Integer.MAX_VALUE));
  }

  private static StorageConfig storage(Section s, StorageConfig c) {
    return new StorageConfig(
        s.path("data_dir", c.dataDir()),
        s.number("wal_segment_size_mb", c.walSegmentSizeMb(), SettingLimits.MAX_MEGABYTES),
        s.fsyncPolicy("fsync_policy", c.fsyncPolicy()),
        (int) s.number("max_machine_versions", c.maxMachineVersions(), 0xFFFF_FFFFL),
        s.bool("allow_instance_recreate", c.allowInstanceRecreate()),
        s.bool("allow_flush_all", c.allowFlushAll()),
        s.number(
            "idempotency_retention_secs", c.idempotencyRetentionSecs(), SettingLimits.MAX_SECONDS));
  }

  private static CompactionConfig compaction(Section s, CompactionConfig c) {
    return new CompactionConfig(
        s.bool("enabled", c.enabled()),
        s.number("events_threshold", c.eventsThreshold(), Long.MAX_VALUE),
        s.number("size_threshold_mb", c.sizeThresholdMb(), SettingLimits.MAX_MEGABYTES),
        s.number("min_interval_secs", c.minIntervalSecs(), SettingLimits.MAX_SECONDS));
  }

  private static AuthConfig auth(Section s, AuthConfig c) {
    return new AuthConfig(
        s.bool("required", c.required()),
        s.strings("token_hashes", c.tokenHashes()),
        s.path("secrets_file", c.secretsFile()));
  }

  private static TlsConfig tls(Section s, TlsConfig c) {
    return new TlsConfig(
        s.bool("enabled", c.enabled()),
        s.path("cert_path", c.certPath()),
        s.path("key_path", c.keyPath()),
        s.bool("require_client_cert", c.requireClientCert()),
        s.path("client_ca_path", c.clientCaPath()));
  }

  private static MetricsConfig metrics(Section s, MetricsConfig c) {
    return new MetricsConfig(s.bool("enabled", c.enabled()), s.string("bind_addr", c.bindAddr()));
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** One mapping of the document, with its key path for error messages. */
  private record Section(JsonNode node, String prefix) {

    Section section(String key) {
      JsonNode child = node.get(key);
      if (child == null || child.isNull()) {
        return new Section(com.fasterxml.jackson.databind.node.MissingNode.getInstance(), key);
      }
      if (!child.isObject()) {
        throw new ConfigException(key, "expected a mapping of keys, got " + describe(child));
      }
      return new Section(child, key);
    }

    private JsonNode value(String key) {
      JsonNode v = node.get(key);
      return v == null || v.isNull() ? null : v;
    }

    private String name(String key) {
      return prefix.isEmpty() ? key : prefix + "." + key;
    }

    String string(String key, String current) {
      JsonNode v = value(key);
      if (v == null) {
        return current;
      }
      if (!v.isValueNode() || v.isBoolean()) {
        throw new ConfigException(name(key), "expected a string, got " + describe(v));
      }
      return v.asText();
    }

    Path path(String key, Path current) {
      String text = string(key, null);
      if (text == null) {
        return current;
      }
      if (text.isBlank()) {
        throw new ConfigException(name(key), "expected a path, got an empty string");
      }
      return Path.of(text);
    }

    long number(String key, long current, long max) {
      JsonNode v = value(key);
      if (v == null) {
        return current;
      }
      if (!v.isIntegralNumber()) {
        throw new ConfigException(name(key), "expected a whole number, got " + describe(v));
      }
      if (v.bigIntegerValue().signum() < 0) {
        throw new ConfigException(name(key), "must not be negative, got " + v);
      }
      if (v.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(max)) > 0) {
        throw new ConfigException(name(key), "must be at most " + max + ", got " + v);
      }
      return v.longValue();
    }

    boolean bool(String key, boolean current) {
      JsonNode v = value(key);
      if (v == null) {
        return current;
      }
      if (!v.isBoolean()) {
        throw new ConfigException(name(key), "expected true or false, got " + describe(v));
      }
      return v.booleanValue();
    }

    List<String> strings(String key, List<String> current) {
      JsonNode v = value(key);
      if (v == null) {
        return current;
      }
      if (!v.isArray()) {
        throw new ConfigException(name(key), "expected a list of strings, got " + describe(v));
      }
      List<String> out = new ArrayList<>();
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          throw new ConfigException(
              name(key), "expected a list of strings, found " + describe(item));
        }
        out.add(item.textValue());
      }
      return out;
    }

    String fsyncPolicy(String key, String current) {
      JsonNode v = value(key);
      if (v == null) {
        return current;
      }
      try {
        if (v.isTextual()) {
          return FsyncPolicyText.normalize(v.textValue());
        }
        if (v.isObject() && v.size() == 1) {
          Map.Entry<String, JsonNode> only = v.fields().next();
          if (!only.getValue().isIntegralNumber()) {
            throw new IllegalArgumentException(
                only.getKey() + " needs a positive whole number, got " + describe(only.getValue()));
          }
          return FsyncPolicyText.withCount(
              only.getKey(), only.getValue().asText(), only.getKey() + ": " + only.getValue());
        }
        return FsyncPolicyText.normalize(v.toString());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name(key), e.getMessage(), e);
      }
    }

    private static String describe(JsonNode v) {
      if (v.isObject()) {
        return "a mapping";
      }
      if (v.isArray()) {
        return "a list";
      }
      if (v.isTextual()) {
        return "'" + v.textValue() + "'";
      }
      return v.toString();
    }
  }
}
