package io.rstmdb.cli.connect;

import java.time.Duration;

/** Everything needed to open one session with a server. */
public record ConnectionSettings(
    ServerAddress address,
    String token,
    TlsSettings tls,
    boolean jsonl,
    Duration connectTimeout,
    Duration requestTimeout) {

  /** The reference CLI waits 10 s for a connection. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The reference CLI waits 30 s for a response. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public static ConnectionSettings plain(ServerAddress address) {
    return new ConnectionSettings(
        address, null, TlsSettings.disabled(), false, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }
}
