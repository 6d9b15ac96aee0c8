package io.rstmdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment file: its first offset, the open file, how many bytes of records it holds (and how
 * much zero-filled space follows them), and a {@link SparseIndex} so a read can start near its
 * offset instead of at the segment start. Reference counted so a reader can finish on a segment
 * that {@code deleteBefore} just removed: the file is closed when the last user releases it.
 */
final class Segment {
  private final Path path;
  private final long firstOffset;
  private final WalFile file;
  private final SparseIndex index = new SparseIndex();
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile long size;

  /** Bytes the file holds on disk: {@link #size} plus a zero-filled tail the writer made ahead. */
  private volatile long allocated;

  Segment(Path path, long firstOffset, WalFile file, long size) {
    this.path = path;
    this.firstOffset = firstOffset;
    this.file = file;
    this.size = size;
    this.allocated = size;
  }

  Path path() {
    return path;
  }

  long firstOffset() {
    return firstOffset;
  }

  WalFile file() {
    return file;
  }

  /** Bytes written to the file so far, header included. */
  long size() {
    return size;
  }

  /** The file's length: records plus any zero-filled tail (the WAL's real size on disk). */
  long diskSize() {
    return Math.max(size, allocated);
  }

  /** Records that the file now holds {@code bytes} bytes, the tail after {@link #size} zeros. */
  void allocated(long bytes) {
    allocated = bytes;
  }

  boolean hasRecords() {
    return size > WalFormat.SEGMENT_HEADER_SIZE;
  }

  /** Called by the single writer after bytes were written. */
  void advance(long bytes) {
    size += bytes;
  }

  /** Called by the single writer (or recovery) for every record in file order. */
  void indexRecord(long offset, long position) {
    index.add(offset, position);
  }

  /** Forgets index entries at or after {@code offset} and sets the size (after a truncation). */
  void truncateTo(long offset, long newSize) {
    index.truncateFrom(offset);
    size = newSize;
  }

  /** A record position at or before the record with {@code offset}. */
  long startPositionFor(long offset) {
    long position = index.floor(offset);
    return position < 0 ? WalFormat.SEGMENT_HEADER_SIZE : position;
  }

  /** Takes a reference; false when the segment is already closed. */
  boolean retain() {
    while (true) {
      int r = refs.get();
      if (r == 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one closes the file. */
  void release() {
    if (refs.decrementAndGet() == 0) {
      try {
        file.close();
      } catch (IOException e) {
        // Nothing is lost: the segment is only read from here on, or it was deleted.
      }
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
