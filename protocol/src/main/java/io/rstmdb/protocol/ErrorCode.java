package io.rstmdb.protocol;

import java.util.Optional;

/**
 * The 16 error codes that may appear in {@code error.code} (operations.md §15). The Python and Rust
 * clients parse codes into closed enums, so nothing else ever goes on the wire (decision 20).
 */
public enum ErrorCode {
  UNSUPPORTED_PROTOCOL(false),
  BAD_REQUEST(false),
  UNAUTHORIZED(false),
  AUTH_FAILED(false),
  NOT_FOUND(false),
  MACHINE_NOT_FOUND(false),
  MACHINE_VERSION_EXISTS(false),
  MACHINE_VERSION_LIMIT_EXCEEDED(false),
  INSTANCE_NOT_FOUND(false),
  INSTANCE_EXISTS(false),
  INVALID_TRANSITION(false),
  GUARD_FAILED(false),
  CONFLICT(false),
  WAL_IO_ERROR(true),
  INTERNAL_ERROR(true),
  RATE_LIMITED(true);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** The {@code retryable} flag sent with this code; a pure function of the code. */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Parses a wire code name (exact, case-sensitive); empty for codes this version does not know.
   */
  public static Optional<ErrorCode> fromWireName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (ErrorCode code : values()) {
      if (code.name().equals(name)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
