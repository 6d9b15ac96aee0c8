package io.rstmdb.core.error;

import java.util.Map;
import java.util.Objects;

/**
 * The one exception type of the domain: a code from {@link ErrorCode}, a human message and optional
 * structured details (e.g. {@code {"oldest_offset": 42}}). The server maps it to the wire in one
 * place; nothing else about the failure leaks to clients.
 */
public final class RstmdbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> details;

  public RstmdbException(ErrorCode code, String message) {
    this(code, message, Map.of(), null);
  }

  public RstmdbException(ErrorCode code, String message, Map<String, Object> details) {
    this(code, message, details, null);
  }

  public RstmdbException(ErrorCode code, String message, Throwable cause) {
    this(code, message, Map.of(), cause);
  }

  public RstmdbException(
      ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.details = Map.copyOf(details);
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  /** Structured context for the client; empty when there is none. Values are JSON-friendly. */
  public Map<String, Object> details() {
    return details;
  }

  public static RstmdbException badRequest(String message) {
    return new RstmdbException(ErrorCode.BAD_REQUEST, message);
  }
}
