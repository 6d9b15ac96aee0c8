package io.rstmdb.protocol.client;

import io.netty.channel.EventLoopGroup;
import io.rstmdb.protocol.WireMode;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link RcpClient} connects.
 *
 * @param host server host name or IP literal
 * @param port server TCP port
 * @param token bearer token sent with AUTH after HELLO; null = no AUTH
 * @param tls TLS settings, never null
 * @param wireMode framing to ask for in HELLO
 * @param connectTimeout how long connecting may take in all: TCP, TLS handshake, HELLO and AUTH;
 *     zero = no limit
 * @param requestTimeout how long a call may wait for its response; zero = forever
 * @param clientName sent as HELLO's client_name
 * @param eventLoopGroup an event loop group of any {@link io.rstmdb.protocol.transport.Transport}
 *     (io_uring, epoll or NIO) to share between many clients (a load tool); null = the client makes
 *     and owns a one-thread group of the best transport
 */
public record ClientOptions(
    String host,
    int port,
    String token,
    TlsOptions tls,
    WireMode wireMode,
    Duration connectTimeout,
    Duration requestTimeout,
    String clientName,
    EventLoopGroup eventLoopGroup) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final String DEFAULT_CLIENT_NAME = "rstmdb-java";

  public ClientOptions {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    tls = tls == null ? TlsOptions.disabled() : tls;
    wireMode = wireMode == null ? WireMode.BINARY_JSON : wireMode;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    clientName = clientName == null ? DEFAULT_CLIENT_NAME : clientName;
  }

  /** Options without a shared event loop group. */
  public ClientOptions(
      String host,
      int port,
      String token,
      TlsOptions tls,
      WireMode wireMode,
      Duration connectTimeout,
      Duration requestTimeout,
      String clientName) {
    this(host, port, token, tls, wireMode, connectTimeout, requestTimeout, clientName, null);
  }

  /** Plain TCP, binary frames, no token, default timeouts. */
  public static ClientOptions of(String host, int port) {
    return new ClientOptions(host, port, null, null, null, null, null, null, null);
  }

  public ClientOptions withHost(String value) {
    return new ClientOptions(
        value,
        port,
        token,
        tls,
        wireMode,
        connectTimeout,
        requestTimeout,
        clientName,
        eventLoopGroup);
  }

  public ClientOptions withPort(int value) {
    return new ClientOptions(
        host,
        value,
        token,
        tls,
        wireMode,
        connectTimeout,
        requestTimeout,
        clientName,
        eventLoopGroup);
  }

  public ClientOptions withToken(String value) {
    return new ClientOptions(
        host,
        port,
        value,
        tls,
        wireMode,
        connectTimeout,
        requestTimeout,
        clientName,
        eventLoopGroup);
  }

  public ClientOptions withTls(TlsOptions value) {
    return new ClientOptions(
        host,
        port,
        token,
        value,
        wireMode,
        connectTimeout,
        requestTimeout,
        clientName,
        eventLoopGroup);
  }

  public ClientOptions withWireMode(WireMode value) {
    return new ClientOptions(
        host, port, token, tls, value, connectTimeout, requestTimeout, clientName, eventLoopGroup);
  }

  public ClientOptions withConnectTimeout(Duration value) {
    return new ClientOptions(
        host, port, token, tls, wireMode, value, requestTimeout, clientName, eventLoopGroup);
  }

  public ClientOptions withRequestTimeout(Duration value) {
    return new ClientOptions(
        host, port, token, tls, wireMode, connectTimeout, value, clientName, eventLoopGroup);
  }

  public ClientOptions withClientName(String value) {
    return new ClientOptions(
        host, port, token, tls, wireMode, connectTimeout, requestTimeout, value, eventLoopGroup);
  }

  public ClientOptions withEventLoopGroup(EventLoopGroup value) {
    return new ClientOptions(
        host, port, token, tls, wireMode, connectTimeout, requestTimeout, clientName, value);
  }
}
