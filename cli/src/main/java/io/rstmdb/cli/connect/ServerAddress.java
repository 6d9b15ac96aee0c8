package io.rstmdb.cli.connect;

/**
 * A {@code host:port} pair as typed on the command line; the host may be a name or an IP address
 * (IPv6 literals in brackets, e.g. {@code [::1]:7401}).
 */
public record ServerAddress(String host, int port) {

  /** The address used when neither {@code -s} nor {@code RSTMDB_SERVER} is given. */
  public static final String DEFAULT = "127.0.0.1:7401";

  public ServerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("server host is empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("server port out of range: " + port);
    }
  }

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException with a message fit for the user when the text is malformed
   */
  public static ServerAddress parse(String text) {
    String value = text == null ? "" : text.trim();
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "invalid server address '" + text + "' (expected HOST:PORT, e.g. 127.0.0.1:7401)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "invalid server address '" + text + "' (write IPv6 addresses as [ADDR]:PORT)");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid server address '" + text + "' (port is not a number)");
    }
    try {
      return new ServerAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid server address '" + text + "' (" + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
