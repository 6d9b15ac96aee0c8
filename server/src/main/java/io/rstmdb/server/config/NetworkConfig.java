package io.rstmdb.server.config;

/**
 * The RCP listener and per-connection limits.
 *
 * @param bindAddr {@code host:port} (IPv6 in brackets); port 0 picks a free port
 * @param idleTimeoutSecs a connection without traffic for this long is closed; 0 disables it
 * @param maxConnections connections beyond this get a RATE_LIMITED error frame and are closed
 * @param handshakeTimeoutSecs a connection must finish its TLS handshake, if any, within this time,
 *     and then send its first whole request within this time again, or it is closed
 * @param maxSubscriptionsPerConnection watch subscriptions one connection may hold
 */
public record NetworkConfig(
    String bindAddr,
    long idleTimeoutSecs,
    int maxConnections,
    long handshakeTimeoutSecs,
    int maxSubscriptionsPerConnection) {

  public static NetworkConfig defaults() {
    return new NetworkConfig("127.0.0.1:7401", 300, 1000, 10, 64);
  }

  public NetworkConfig withBindAddr(String value) {
    return new NetworkConfig(
        value,
        idleTimeoutSecs,
        maxConnections,
        handshakeTimeoutSecs,
        maxSubscriptionsPerConnection);
  }

  public NetworkConfig withIdleTimeoutSecs(long value) {
    return new NetworkConfig(
        bindAddr, value, maxConnections, handshakeTimeoutSecs, maxSubscriptionsPerConnection);
  }

  public NetworkConfig withMaxConnections(int value) {
    return new NetworkConfig(
        bindAddr, idleTimeoutSecs, value, handshakeTimeoutSecs, maxSubscriptionsPerConnection);
  }

  public NetworkConfig withHandshakeTimeoutSecs(long value) {
    return new NetworkConfig(
        bindAddr, idleTimeoutSecs, maxConnections, value, maxSubscriptionsPerConnection);
  }

  public NetworkConfig withMaxSubscriptionsPerConnection(int value) {
    return new NetworkConfig(
        bindAddr, idleTimeoutSecs, maxConnections, handshakeTimeoutSecs, value);
  }
}
