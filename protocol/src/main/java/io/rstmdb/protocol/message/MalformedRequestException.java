package io.rstmdb.protocol.message;

/**
 * A well-framed payload that is not a usable request envelope (invalid UTF-8 or JSON, not an
 * object, missing or non-string {@code id}/{@code op}, duplicate envelope key, nesting too deep).
 * The server answers BAD_REQUEST with {@link #requestId()} and keeps the connection (decision 8).
 */
public final class MalformedRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String requestId;

  public MalformedRequestException(String requestId, String message) {
    super(message, null, false, false);
    this.requestId = requestId;
  }

  /** The request's id when it could be read before the problem, else null. */
  public String requestId() {
    return requestId;
  }
}
