package io.rstmdb.server.config;

import io.rstmdb.core.error.IoReason;
import io.rstmdb.wal.WalOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the effective configuration: defaults, then the YAML file named by {@code RSTMDB_CONFIG},
 * then the environment (env wins), then checks the result. Every problem is a {@link
 * ConfigException} whose message is one line naming the key.
 */
public final class ConfigLoader {

  /** The variable holding the YAML file's path. */
  public static final String CONFIG_VARIABLE = "RSTMDB_CONFIG";

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Loads defaults → file → environment and validates. */
  public ServerConfig load() {
    ServerConfig config = ServerConfig.defaults();
    String file = env.get(CONFIG_VARIABLE);
    if (file != null && !file.isBlank()) {
      config = YamlConfigReader.apply(readFile(Path.of(file.trim())), config);
    }
    config = new EnvConfigReader(env).apply(config);
    validate(config);
    return config;
  }

  /** Overlays a YAML document on {@code base} (no environment, no validation). */
  public static ServerConfig fromYaml(String yaml, ServerConfig base) {
    return YamlConfigReader.apply(yaml, base);
  }

  /** Checks values that are well typed but unusable together or on their own. */
  public static void validate(ServerConfig c) {
    address("network.bind_addr", c.network().bindAddr());
    if (c.network().maxConnections() < 1) {
      throw new ConfigException("network.max_connections", "must be at least 1");
    }
    if (c.network().handshakeTimeoutSecs() < 1) {
      throw new ConfigException("network.handshake_timeout_secs", "must be at least 1");
    }
    long maxSegmentMb = WalOptions.MAX_SEGMENT_SIZE_BYTES >> 20;
    if (c.storage().walSegmentSizeMb() < 1 || c.storage().walSegmentSizeMb() > maxSegmentMb) {
      throw new ConfigException(
          "storage.wal_segment_size_mb",
          "must be between 1 and " + maxSegmentMb + ", got " + c.storage().walSegmentSizeMb());
    }
    try {
      FsyncPolicyText.normalize(c.storage().fsyncPolicy());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("storage.fsync_policy", e.getMessage());
    }
    if (c.metrics().enabled()) {
      address("metrics.bind_addr", c.metrics().bindAddr());
    }
    TlsConfig tls = c.tls();
    if (tls.enabled()) {
      if (tls.certPath() == null) {
        throw new ConfigException("tls.cert_path", "required when tls.enabled is true");
      }
      if (tls.keyPath() == null) {
        throw new ConfigException("tls.key_path", "required when tls.enabled is true");
      }
      if (tls.requireClientCert() && tls.clientCaPath() == null) {
        throw new ConfigException(
            "tls.client_ca_path", "required when tls.require_client_cert is true");
      }
    }
  }

  private static void address(String key, String value) {
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
    // Resolved now, before any file is opened, rather than failing at bind time.
    if (endpoint.toSocketAddress().isUnresolved()) {
      throw new ConfigException(key, "cannot resolve the host of '" + value + "'");
    }
  }

  private static String readFile(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          CONFIG_VARIABLE, "cannot read " + path + ": " + IoReason.reasonOf(e), e);
    }
  }
}
