package io.rstmdb.wal;

import java.util.Arrays;

/**
 * Offset → byte position of every record that starts at least {@link #INTERVAL} bytes after the
 * previously indexed one, so a read starts at most one chunk before its record. Compact (16 bytes
 * per entry: ~32 KB for a full 64 MiB segment) and safe for one writer with many concurrent
 * readers: an entry is stored before the size that makes it visible is published.
 */
final class SparseIndex {
  static final int INTERVAL = 32 * 1024;

  private volatile long[] pairs = new long[32]; // offset, position, offset, position, ...
  private volatile int size;
  private long lastPosition = -INTERVAL; // writer only

  /** Called by the single writer (or recovery) for every record, in file order. */
  void add(long offset, long position) {
    if (position - lastPosition < INTERVAL) {
      return;
    }
    long[] p = pairs;
    int n = size;
    if (2 * n + 2 > p.length) {
      p = Arrays.copyOf(p, p.length * 2);
      pairs = p;
    }
    p[2 * n] = offset;
    p[2 * n + 1] = position;
    lastPosition = position;
    size = n + 1;
  }

  /** Position of the last indexed record at or before {@code offset}, or -1 if none. */
  long floor(long offset) {
    int n = size;
    long[] p = pairs;
    int lo = 0;
    int hi = n - 1;
    long found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (p[2 * mid] <= offset) {
        found = p[2 * mid + 1];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Forgets entries at or after {@code offset} (recovery, before any reader exists). */
  void truncateFrom(long offset) {
    int n = size;
    while (n > 0 && pairs[2 * (n - 1)] >= offset) {
      n--;
    }
    size = n;
    lastPosition = n == 0 ? -INTERVAL : pairs[2 * n - 1];
  }
}
