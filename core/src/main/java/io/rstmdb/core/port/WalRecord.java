package io.rstmdb.core.port;

/**
 * A durable entry together with the offset the log gave it. Offsets are dense: the first record
 * ever written has offset 0, each later one adds one, and an offset is never reused.
 */
public record WalRecord(long offset, WalEntry entry) {
  /** The record's sequence number, which is always {@code offset + 1}. */
  public long sequence() {
    return offset + 1;
  }
}
