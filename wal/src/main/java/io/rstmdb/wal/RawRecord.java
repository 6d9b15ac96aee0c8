package io.rstmdb.wal;

/** A record as read from a segment, CRC-checked but not yet parsed as JSON. */
record RawRecord(long position, long offset, int typeCode, int flags, byte[] payload) {

  int size() {
    return WalFormat.RECORD_HEADER_SIZE + payload.length;
  }

  long end() {
    return position + size();
  }

  /** Whether later entries of the same atomic append follow this one. */
  boolean more() {
    return (flags & WalFormat.FLAG_MORE) != 0;
  }
}
