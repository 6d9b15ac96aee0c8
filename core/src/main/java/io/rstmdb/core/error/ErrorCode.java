package io.rstmdb.core.error;

/**
 * Every error the database reports, one-to-one with the 16 codes of the RCP protocol. Whether a
 * client may retry is a pure function of the code.
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

  public boolean retryable() {
    return retryable;
  }
}
