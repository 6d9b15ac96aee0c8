package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads records one after another from a segment file between two byte positions, in large chunks.
 * Used by recovery (which needs to know exactly where and why the bytes stop being valid) and by
 * readers.
 */
final class RecordCursor {
  private static final int CHUNK = 64 * 1024;

  private final WalFile file;
  private final long end;
  private ByteBuffer window = ByteBuffer.allocate(CHUNK);
  private long windowStart;
  private int filled;
  private int at;

  /**
   * @param start position of the first record to read
   * @param end position after which nothing is read (exclusive)
   */
  RecordCursor(WalFile file, long start, long end) {
    this.file = file;
    this.end = end;
    this.windowStart = start;
  }

  /** Position of the next record. */
  long position() {
    return windowStart + at;
  }

  /**
   * @return the next valid record, or null when {@code end} is reached exactly
   * @throws CorruptRecordException when the bytes at {@link #position()} are not a whole valid
   *     record
   */
  RawRecord next() throws IOException, CorruptRecordException {
    long pos = position();
    if (pos >= end) {
      return null;
    }
    if (!fill(WalFormat.RECORD_HEADER_SIZE)) {
      throw new CorruptRecordException(
          pos, "incomplete record header (" + (end - pos) + " bytes before the end)");
    }
    long length = WalFormat.declaredLength(window, at);
    if (length > WalFormat.MAX_PAYLOAD) {
      throw new CorruptRecordException(pos, "record length " + length + " exceeds the limit");
    }
    int size = WalFormat.RECORD_HEADER_SIZE + (int) length;
    if (!fill(size)) {
      throw new CorruptRecordException(
          pos, "record of " + size + " bytes runs past the end (" + (end - pos) + " bytes left)");
    }
    String problem = WalFormat.checkRecord(window, at, (int) length);
    if (problem != null) {
      throw new CorruptRecordException(pos, problem);
    }
    RawRecord record = WalFormat.rawRecord(window, at, (int) length, pos);
    at += size;
    return record;
  }

  /** Makes {@code n} bytes from {@code at} available; false if the file or range ends first. */
  private boolean fill(int n) throws IOException {
    if (filled - at >= n) {
      return true;
    }
    if (position() + n > end) {
      return false;
    }
    int kept = filled - at;
    if (window.capacity() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, CHUNK));
      bigger.put(window.array(), at, kept);
      window = bigger;
    } else {
      System.arraycopy(window.array(), at, window.array(), 0, kept);
    }
    windowStart += at;
    at = 0;
    filled = kept;
    while (filled < n) {
      long fileAt = windowStart + filled;
      int room = (int) Math.min(window.capacity() - filled, end - fileAt);
      window.clear().position(filled).limit(filled + room);
      int read = file.read(window, fileAt);
      if (read < 0) {
        return false;
      }
      filled += read;
    }
    window.clear();
    return true;
  }
}
