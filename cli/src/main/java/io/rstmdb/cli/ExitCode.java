package io.rstmdb.cli;

/** The documented process exit codes of {@code rstmdb-cli}. */
public enum ExitCode {
  /** The command did what was asked. */
  OK(0),
  /** The server answered with an error (or a batch item failed). */
  SERVER_ERROR(1),
  /** The command line or an input file was wrong; nothing was sent. */
  USAGE(2),
  /** The server could not be reached, TLS failed, or the connection broke. */
  CONNECTION(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
