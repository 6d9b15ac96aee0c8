package io.rstmdb.cli.connect;

/** The server answered with an error response: {@code code} is the wire error code. */
public final class ServerErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public ServerErrorException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
