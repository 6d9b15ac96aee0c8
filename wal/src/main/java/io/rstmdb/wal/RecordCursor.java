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

  // The record skip() stepped over last.
  private long lastOffset;
  private long lastPosition;
  private boolean lastMore;

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
    int size = checkNext();
    if (size < 0) {
      return null;
    }
    RawRecord record = WalFormat.rawRecord(window, at, size - WalFormat.RECORD_HEADER_SIZE, pos);
    at += size;
    return record;
  }

  /**
   * Checks the next record like {@link #next()} and steps over it without copying its payload: for
   * recovery's scan of whole segments, which needs only where records are (a copy per record was 64
   * MiB of garbage per segment and several young GCs at startup). Afterwards {@link #lastOffset()},
   * {@link #lastPosition()} and {@link #lastMore()} describe the record.
   *
   * @return false when {@code end} is reached exactly
   */
  boolean skip() throws IOException, CorruptRecordException {
    long pos = position();
    int size = checkNext();
    if (size < 0) {
      return false;
    }
    lastPosition = pos;
    lastOffset = WalFormat.offsetAt(window, at);
    lastMore = WalFormat.moreAt(window, at);
    at += size;
    return true;
  }

  /** Offset of the record {@link #skip()} stepped over last. */
  long lastOffset() {
    return lastOffset;
  }

  /** File position of the record {@link #skip()} stepped over last. */
  long lastPosition() {
    return lastPosition;
  }

  /**
   * Whether the record {@link #skip()} stepped over last has more entries of its append after it.
   */
  boolean lastMore() {
    return lastMore;
  }

  /**
   * Validates the record at {@link #position()} with all its bytes in the window.
   *
   * @return its size in bytes, or -1 when {@code end} is reached exactly
   */
  private int checkNext() throws IOException, CorruptRecordException {
    long pos = position();
    if (pos >= end) {
      return -1;
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
    return size;
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
