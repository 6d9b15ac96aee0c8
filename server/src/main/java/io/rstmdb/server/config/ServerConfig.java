package io.rstmdb.server.config;

import java.nio.file.Path;

/**
 * The whole server configuration: the defaults, overlaid with the YAML file and then the
 * environment by {@link ConfigLoader}. Immutable; tests and embedders derive variants with the
 * {@code with...} copies.
 */
public record ServerConfig(
    NetworkConfig network,
    StorageConfig storage,
    CompactionConfig compaction,
    AuthConfig auth,
    TlsConfig tls,
    MetricsConfig metrics) {

  /** The built-in defaults (server-and-cli.md §2.1 plus our own keys). */
  public static ServerConfig defaults() {
    return new ServerConfig(
        NetworkConfig.defaults(),
        StorageConfig.defaults(),
        CompactionConfig.defaults(),
        AuthConfig.defaults(),
        TlsConfig.defaults(),
        MetricsConfig.defaults());
  }

  public ServerConfig withDataDir(Path dataDir) {
    return withStorage(storage.withDataDir(dataDir));
  }

  /** Sets {@code network.bind_addr}; {@code host:port}, port 0 picks a free port. */
  public ServerConfig withBind(String hostPort) {
    Endpoint.parse(hostPort);
    return withNetwork(network.withBindAddr(hostPort));
  }

  public ServerConfig withNetwork(NetworkConfig value) {
    return new ServerConfig(value, storage, compaction, auth, tls, metrics);
  }

  public ServerConfig withStorage(StorageConfig value) {
    return new ServerConfig(network, value, compaction, auth, tls, metrics);
  }

  public ServerConfig withCompaction(CompactionConfig value) {
    return new ServerConfig(network, storage, value, auth, tls, metrics);
  }

  public ServerConfig withAuth(AuthConfig value) {
    return new ServerConfig(network, storage, compaction, value, tls, metrics);
  }

  public ServerConfig withTls(TlsConfig value) {
    return new ServerConfig(network, storage, compaction, auth, value, metrics);
  }

  public ServerConfig withMetrics(MetricsConfig value) {
    return new ServerConfig(network, storage, compaction, auth, tls, value);
  }
}
