package io.rstmdb.cli.connect;

/**
 * The protocol client refused to send a request as given (too large for a frame, not encodable) or
 * to use the TLS files it was given. Nothing reached the server and the session is still usable:
 * this is the user's input, not a connection failure (exit code 2).
 */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
