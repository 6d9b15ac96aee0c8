package io.rstmdb.wal;

import java.util.List;

/**
 * What readers may see, published atomically by the writer after each acknowledged batch: the
 * retained segments, the offset below which every record is acknowledged, and how far the last
 * segment is readable. Immutable.
 */
record WalView(List<Segment> segments, long durableNext, long tailEnd, boolean closed) {

  long oldestOffset() {
    return segments.isEmpty() ? durableNext : segments.get(0).firstOffset();
  }

  /** Readable byte end of segment {@code i}: the last one only up to what was acknowledged. */
  long readableEnd(int i) {
    return i == segments.size() - 1 ? tailEnd : segments.get(i).size();
  }

  /** Index of the segment holding {@code offset} (the last one whose first offset is <= it). */
  int segmentIndexFor(long offset) {
    int lo = 0;
    int hi = segments.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (segments.get(mid).firstOffset() <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
