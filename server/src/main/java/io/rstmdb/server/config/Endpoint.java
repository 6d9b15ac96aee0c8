package io.rstmdb.server.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} pair as written in the configuration: an IP literal or a host name, IPv6 in
 * brackets ({@code [::1]:7401}).
 */
public record Endpoint(String host, int port) {

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Endpoint parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected host:port, got an empty value");
    }
    String trimmed = text.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "expected host:port (IPv6 in brackets), got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'");
    }
    if (port < 0 || port > 65_535 || host.isEmpty()) {
      throw new IllegalArgumentException(
          "expected host:port with port 0-65535, got '" + text + "'");
    }
    return new Endpoint(host, port);
  }

  /** Resolves the host (names included) into a bindable address. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }
}
