package io.rstmdb.protocol.client;

/**
 * The connection failed, closed or timed out before a response arrived; whether the request took
 * effect on the server is unknown.
 */
public final class RcpConnectionException extends RcpException {

  private static final long serialVersionUID = 1L;

  public RcpConnectionException(String message) {
    super(message);
  }

  public RcpConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
