package io.rstmdb.cli;

/** The user's input is wrong in a way picocli cannot see (bad JSON, missing file, ...): exit 2. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
