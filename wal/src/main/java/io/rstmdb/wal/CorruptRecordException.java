package io.rstmdb.wal;

/** Bytes where a record should start that are not a valid record. */
final class CorruptRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long position;

  CorruptRecordException(long position, String reason) {
    super(reason);
    this.position = position;
  }

  /** Byte position in the segment file where the bad record starts. */
  long position() {
    return position;
  }
}
