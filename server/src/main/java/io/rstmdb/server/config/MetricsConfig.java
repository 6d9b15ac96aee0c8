package io.rstmdb.server.config;

/** The Prometheus/health HTTP endpoint; {@code bindAddr} port 0 picks a free port. */
public record MetricsConfig(boolean enabled, String bindAddr) {

  public static MetricsConfig defaults() {
    return new MetricsConfig(false, "127.0.0.1:9090");
  }

  public MetricsConfig withEnabled(boolean value) {
    return new MetricsConfig(value, bindAddr);
  }

  public MetricsConfig withBindAddr(String value) {
    return new MetricsConfig(enabled, value);
  }
}
