package io.rstmdb.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Overlays {@code RSTMDB_*} environment variables (server-and-cli.md §3) on a configuration. Each
 * variable replaces one key, except {@code RSTMDB_AUTH_TOKEN_HASH}, which appends a hash. Unlike
 * the reference, a value that does not parse is an error naming the variable rather than being
 * ignored.
 */
final class EnvConfigReader {

  private final Map<String, String> env;

  EnvConfigReader(Map<String, String> env) {
    this.env = env;
  }

  ServerConfig apply(ServerConfig c) {
    logLevel();
    NetworkConfig n = c.network();
    n =
        new NetworkConfig(
            address("RSTMDB_BIND", n.bindAddr()),
            number("RSTMDB_IDLE_TIMEOUT", n.idleTimeoutSecs(), SettingLimits.MAX_SECONDS),
            (int) number("RSTMDB_MAX_CONNECTIONS", n.maxConnections(), Integer.MAX_VALUE),
            number("RSTMDB_HANDSHAKE_TIMEOUT", n.handshakeTimeoutSecs(), SettingLimits.MAX_SECONDS),
            (int)
                number(
                    "RSTMDB_MAX_SUBSCRIPTIONS",
                    n.maxSubscriptionsPerConnection(),
                    Integer.MAX_VALUE));
    StorageConfig s = c.storage();
    s =
        new StorageConfig(
            path("RSTMDB_DATA", s.dataDir()),
            number("RSTMDB_WAL_SEGMENT_SIZE_MB", s.walSegmentSizeMb(), SettingLimits.MAX_MEGABYTES),
            fsync("RSTMDB_FSYNC_POLICY", s.fsyncPolicy()),
            (int) number("RSTMDB_MAX_MACHINE_VERSIONS", s.maxMachineVersions(), 0xFFFF_FFFFL),
            bool("RSTMDB_ALLOW_INSTANCE_RECREATE", s.allowInstanceRecreate()),
            bool("RSTMDB_ALLOW_FLUSH_ALL", s.allowFlushAll()),
            number(
                "RSTMDB_IDEMPOTENCY_RETENTION",
                s.idempotencyRetentionSecs(),
                SettingLimits.MAX_SECONDS));
    CompactionConfig k = c.compaction();
    k =
        new CompactionConfig(
            bool("RSTMDB_COMPACT_ENABLED", k.enabled()),
            number("RSTMDB_COMPACT_EVENTS", k.eventsThreshold(), Long.MAX_VALUE),
            number("RSTMDB_COMPACT_SIZE_MB", k.sizeThresholdMb(), SettingLimits.MAX_MEGABYTES),
            number("RSTMDB_COMPACT_INTERVAL", k.minIntervalSecs(), SettingLimits.MAX_SECONDS));
    AuthConfig a = c.auth();
    List<String> hashes = new ArrayList<>(a.tokenHashes());
    String extraHash = get("RSTMDB_AUTH_TOKEN_HASH");
    if (extraHash != null && !extraHash.isEmpty()) {
      hashes.add(extraHash);
    }
    a =
        new AuthConfig(
            bool("RSTMDB_AUTH_REQUIRED", a.required()),
            hashes,
            path("RSTMDB_AUTH_SECRETS_FILE", a.secretsFile()));
    TlsConfig t = c.tls();
    t =
        new TlsConfig(
            bool("RSTMDB_TLS_ENABLED", t.enabled()),
            path("RSTMDB_TLS_CERT", t.certPath()),
            path("RSTMDB_TLS_KEY", t.keyPath()),
            bool("RSTMDB_TLS_REQUIRE_CLIENT_CERT", t.requireClientCert()),
            path("RSTMDB_TLS_CLIENT_CA", t.clientCaPath()));
    MetricsConfig m = c.metrics();
    m =
        new MetricsConfig(
            bool("RSTMDB_METRICS_ENABLED", m.enabled()),
            address("RSTMDB_METRICS_BIND", m.bindAddr()));
    return new ServerConfig(n, s, k, a, t, m);
  }

  /**
   * RSTMDB_LOG_LEVEL is read by logback.xml, not here; logback takes a word it does not know for
   * DEBUG, so a typo would silently flood the log. Checked with the other variables instead.
   */
  private void logLevel() {
    String v = get("RSTMDB_LOG_LEVEL");
    if (v != null
        && !v.isEmpty()
        && !java.util.Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF")
            .contains(v.toUpperCase(Locale.ROOT))) {
      throw new ConfigException(
          "RSTMDB_LOG_LEVEL", "expected TRACE, DEBUG, INFO, WARN, ERROR or OFF, got '" + v + "'");
    }
  }

  private String get(String name) {
    String v = env.get(name);
    return v == null ? null : v.trim();
  }

  private String address(String name, String current) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return current;
    }
    try {
      Endpoint.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, e.getMessage());
    }
    return v;
  }

  private Path path(String name, Path current) {
    String v = get(name);
    return v == null || v.isEmpty() ? current : Path.of(v);
  }

  private long number(String name, long current, long max) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return current;
    }
    long parsed;
    try {
      parsed = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "expected a whole number, got '" + v + "'");
    }
    if (parsed < 0) {
      throw new ConfigException(name, "must not be negative, got " + parsed);
    }
    if (parsed > max) {
      throw new ConfigException(name, "must be at most " + max + ", got " + parsed);
    }
    return parsed;
  }

  /** {@code 1}/{@code true}/{@code yes}/{@code on} and their opposites; anything else fails. */
  private boolean bool(String name, boolean current) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return current;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "1":
      case "true":
      case "yes":
      case "on":
        return true;
      case "0":
      case "false":
      case "no":
      case "off":
        return false;
      default:
        throw new ConfigException(
            name, "expected 1, true, yes or on (or 0, false, no, off), got '" + v + "'");
    }
  }

  private String fsync(String name, String current) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return current;
    }
    try {
      return FsyncPolicyText.normalize(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, e.getMessage());
    }
  }
}
