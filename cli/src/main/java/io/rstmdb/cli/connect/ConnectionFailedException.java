package io.rstmdb.cli.connect;

/**
 * The server could not be reached, the TLS handshake failed, or the session broke. The message is
 * one line meant for the user, e.g. {@code cannot connect to 127.0.0.1:7401: connection refused}.
 */
public final class ConnectionFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConnectionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
