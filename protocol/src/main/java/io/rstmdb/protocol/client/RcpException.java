package io.rstmdb.protocol.client;

/** Something went wrong talking to a server; see the subclasses for the two main cases. */
public class RcpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RcpException(String message) {
    super(message);
  }

  public RcpException(String message, Throwable cause) {
    super(message, cause);
  }
}
