package io.rstmdb.wal;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.WalPort.Reclaimed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered segments of an open log. The writer thread appends to the last one and rotates;
 * {@link #deleteBefore} removes from the front; readers work on the immutable {@link WalView}
 * published here.
 */
final class SegmentSet {
  private final Path dir;
  private final FileIo io;
  private final Failpoints failpoints;
  private final Object lock = new Object();
  private final List<Segment> segments; // guarded by lock; never empty; last = current
  private volatile WalView view;

  SegmentSet(Path dir, FileIo io, Failpoints failpoints, List<Segment> recovered, long next) {
    this.dir = dir;
    this.io = io;
    this.failpoints = failpoints;
    this.segments = new ArrayList<>(recovered);
    Segment last = recovered.get(recovered.size() - 1);
    this.view = new WalView(List.copyOf(recovered), next, last.size(), false);
  }

  /**
   * Creates a segment file the crash-safe way: header into a temp file, fsync it, rename it into
   * place, fsync the directory. A crash leaves either no segment or a complete empty one (and maybe
   * a temp file, which recovery deletes).
   */
  static Segment createSegment(Path dir, FileIo io, Failpoints failpoints, long firstOffset)
      throws IOException {
    String name = WalFormat.segmentFileName(firstOffset);
    Path temp = dir.resolve(name.replace(WalFormat.SEGMENT_SUFFIX, WalFormat.TEMP_SUFFIX));
    Path target = dir.resolve(name);
    try (WalFile file = io.create(temp)) {
      ByteBuffer header = WalFormat.segmentHeader(firstOffset);
      while (header.hasRemaining()) {
        file.write(new ByteBuffer[] {header});
      }
      file.force();
    }
    failpoints.hit("wal.segment.before_rename");
    io.moveAtomically(temp, target);
    io.syncDirectory(dir);
    failpoints.hit("wal.segment.after_rename");
    WalFile file = io.open(target);
    file.position(WalFormat.SEGMENT_HEADER_SIZE);
    return new Segment(target, firstOffset, file, WalFormat.SEGMENT_HEADER_SIZE);
  }

  /** The segment taking writes. Writer thread only. */
  Segment current() {
    synchronized (lock) {
      return segments.get(segments.size() - 1);
    }
  }

  /**
   * Seals the current segment (cut off its zero-filled tail, fsync, so nothing in it depends on
   * later syncs) and starts a new one whose first record will have {@code firstOffset}. Only the
   * last segment ever has a zero tail, so recovery's rules for the others stay strict. Writer
   * thread only.
   */
  Segment rotate(long firstOffset) throws IOException {
    Segment sealed = current();
    if (sealed.diskSize() > sealed.size()) {
      sealed.file().truncate(sealed.size());
      sealed.allocated(sealed.size());
    }
    sealed.file().force();
    failpoints.hit("wal.rotate.after_seal");
    Segment next = createSegment(dir, io, failpoints, firstOffset);
    synchronized (lock) {
      segments.add(next);
    }
    return next;
  }

  /** Makes everything below {@code durableNext} readable. Writer thread only. */
  void publish(long durableNext) {
    synchronized (lock) {
      Segment last = segments.get(segments.size() - 1);
      view = new WalView(List.copyOf(segments), durableNext, last.size(), false);
    }
  }

  WalView view() {
    return view;
  }

  long count() {
    synchronized (lock) {
      return segments.size();
    }
  }

  long totalSize() {
    synchronized (lock) {
      long total = 0;
      for (Segment s : segments) {
        total += s.diskSize();
      }
      return total;
    }
  }

  /**
   * Deletes whole segments whose records all lie below {@code offset} (and are acknowledged). The
   * last readable segment always stays, so its name keeps carrying the offset sequence. Readers
   * still holding a removed segment finish on the open file; it closes on their release.
   */
  Reclaimed deleteBefore(long offset) {
    List<Segment> dropped = new ArrayList<>();
    synchronized (lock) {
      WalView v = view;
      if (v.closed()) {
        throw closedError();
      }
      long limit = Math.min(offset, v.durableNext());
      List<Segment> visible = v.segments();
      while (dropped.size() < visible.size() - 1
          && visible.get(dropped.size() + 1).firstOffset() <= limit) {
        dropped.add(visible.get(dropped.size()));
      }
      if (dropped.isEmpty()) {
        return Reclaimed.NONE;
      }
      segments.subList(0, dropped.size()).clear();
      view =
          new WalView(
              List.copyOf(visible.subList(dropped.size(), visible.size())),
              v.durableNext(),
              v.tailEnd(),
              false);
    }
    long bytes = 0;
    IOException failure = null;
    for (int i = 0; i < dropped.size(); i++) {
      Segment s = dropped.get(i);
      if (i > 0) {
        // Oldest first, so a crash here leaves a contiguous suffix that recovery accepts.
        failpoints.hit("wal.delete.between_segments");
      }
      try {
        io.delete(s.path());
        bytes += s.size();
      } catch (IOException e) {
        // Still dropped from the view; if the file survives, the next open takes it back as the
        // oldest segment, which is harmless.
        failure = failure == null ? e : failure;
      } finally {
        s.release();
      }
    }
    try {
      io.syncDirectory(dir);
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure != null) {
      throw new RstmdbException(
          ErrorCode.WAL_IO_ERROR,
          "deleting old WAL segments failed: " + IoReason.of(failure),
          failure);
    }
    return new Reclaimed(dropped.size(), bytes);
  }

  /** Hides everything from readers and releases the files (readers in flight finish first). */
  void close() {
    List<Segment> all;
    synchronized (lock) {
      WalView v = view;
      if (v.closed()) {
        return;
      }
      view = new WalView(List.of(), v.durableNext(), 0, true);
      all = List.copyOf(segments);
    }
    all.forEach(Segment::release);
  }

  static RstmdbException closedError() {
    return new RstmdbException(ErrorCode.WAL_IO_ERROR, "the WAL is closed");
  }
}
