package io.rstmdb.wal;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a WAL directory and checks every byte of them. The last segment may end
 * with zeros (the space the writer fills ahead of its records): that is its clean end. Only the
 * last segment may end badly (a torn write, or an atomic append that was cut short): that tail is
 * truncated, fsynced and logged. Anything wrong anywhere else — a bad header, a CRC mismatch, an
 * offset gap, a missing or extra segment, or damage in the last segment that valid records follow —
 * refuses to open, naming the file and byte position, because skipping it would silently lose
 * acknowledged data.
 */
final class SegmentRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

  /** The recovered segments (oldest first, never empty) and the next offset to assign. */
  record Recovered(List<Segment> segments, long nextOffset) {}

  private final Path dir;
  private final FileIo io;
  private final Failpoints failpoints;

  SegmentRecovery(Path dir, FileIo io, Failpoints failpoints) {
    this.dir = dir;
    this.io = io;
    this.failpoints = failpoints;
  }

  Recovered recover() throws IOException {
    io.createDirectories(dir);
    TreeMap<Long, Path> files = new TreeMap<>();
    for (Path file : io.list(dir)) {
      String name = file.getFileName().toString();
      if (name.endsWith(WalFormat.TEMP_SUFFIX)) {
        LOG.info("WAL {}: deleting {} left by an interrupted segment creation", dir, name);
        io.delete(file);
        continue;
      }
      long first = WalFormat.parseSegmentFileName(name);
      if (first >= 0) {
        files.put(first, file);
      }
    }
    if (files.isEmpty()) {
      Segment fresh = SegmentSet.createSegment(dir, io, failpoints, 0);
      return new Recovered(List.of(fresh), 0);
    }
    List<Segment> segments = new ArrayList<>();
    try {
      long expected = files.firstKey();
      for (Map.Entry<Long, Path> e : files.entrySet()) {
        long first = e.getKey();
        Path path = e.getValue();
        if (first != expected) {
          throw corrupt(
              path,
              0,
              first > expected
                  ? "offset gap: the previous segment ends before offset "
                      + expected
                      + " but this one starts at "
                      + first
                      + " (a segment is missing)"
                  : "segment overlaps the previous one, which already holds offsets up to "
                      + (expected - 1)
                      + " (duplicated segment?)");
        }
        boolean last = first == files.lastKey();
        WalFile file = io.open(path);
        Segment segment = new Segment(path, first, file, 0);
        segments.add(segment);
        expected = scan(segment, last);
      }
      Segment current = segments.get(segments.size() - 1);
      current.file().position(current.size());
      return new Recovered(segments, expected);
    } catch (IOException | RuntimeException ex) {
      segments.forEach(Segment::release);
      throw ex;
    }
  }

  /** Checks one segment, repairing the tail if it is the last; returns its next offset. */
  private long scan(Segment segment, boolean last) throws IOException {
    Path path = segment.path();
    WalFile file = segment.file();
    long size = file.size();
    ByteBuffer header = ByteBuffer.allocate((int) Math.min(size, WalFormat.SEGMENT_HEADER_SIZE));
    while (header.hasRemaining() && file.read(header, header.position()) >= 0) {
      // read the whole header
    }
    String problem = WalFormat.checkSegmentHeader(header.flip(), segment.firstOffset());
    if (problem != null) {
      throw corrupt(path, 0, problem);
    }
    long expected = segment.firstOffset();
    long groupStart = WalFormat.SEGMENT_HEADER_SIZE;
    long groupOffset = expected;
    String tornReason = null;
    long tornAt = size;
    long zeroTailAt = -1;
    RecordCursor cursor = new RecordCursor(file, WalFormat.SEGMENT_HEADER_SIZE, size);
    try {
      while (cursor.skip()) {
        long offset = cursor.lastOffset();
        if (offset != expected) {
          throw corrupt(
              path,
              cursor.lastPosition(),
              "record has offset " + offset + ", expected " + expected);
        }
        segment.indexRecord(offset, cursor.lastPosition());
        expected++;
        if (!cursor.lastMore()) {
          groupStart = cursor.position();
          groupOffset = expected;
        }
      }
    } catch (CorruptRecordException e) {
      if (!last) {
        // Sealing cuts a segment's zero-filled space off before the next segment is made, so
        // zeros here mean a file that sorts after this one should not be there.
        throw corrupt(
            path,
            e.position(),
            allZero(file, e.position(), size)
                ? "zero-filled space, which only the newest segment has, yet a newer segment file"
                    + " follows (a stray or misnamed file in the WAL directory?)"
                : e.getMessage());
      }
      if (allZero(file, e.position(), size)) {
        zeroTailAt = e.position();
      } else if (validRecordFollows(file, e.position(), size, expected)) {
        throw corrupt(
            path,
            e.position(),
            e.getMessage() + ", and valid records follow it, so it is not a torn tail");
      } else {
        tornReason = e.getMessage();
        tornAt = e.position();
      }
    }
    if (!last) {
      if (groupStart != size) {
        throw corrupt(path, groupStart, "segment ends inside an atomic append");
      }
      segment.truncateTo(expected, size);
      return expected;
    }
    if (zeroTailAt == groupStart) {
      // Records, then the zero-filled space the writer keeps ahead of them: a clean end.
      segment.truncateTo(groupOffset, groupStart);
      segment.allocated(size);
      return groupOffset;
    }
    if (groupStart < size) {
      String what =
          tornReason == null
              ? "an atomic append cut short"
              : tornReason + (groupStart < tornAt ? ", after an atomic append cut short" : "");
      LOG.warn(
          "WAL {}: truncating a torn tail at byte {}: dropping {} bytes ({} complete record(s) of an"
              + " unfinished append, offsets from {}); cause: {}",
          path,
          groupStart,
          size - groupStart,
          expected - groupOffset,
          groupOffset,
          what);
      file.truncate(groupStart);
      file.force();
    }
    segment.truncateTo(groupOffset, groupStart);
    return groupOffset;
  }

  /**
   * Whether every byte in {@code [from, size)} is zero. Every open reads the newest segment's
   * zero-filled MiB here, while the code is still interpreted: {@code Arrays.mismatch} against
   * zeros compares eight bytes per step (and is an intrinsic once compiled), where a loop over
   * single bytes cost ~10 ms of a startup.
   */
  private static boolean allZero(WalFile file, long from, long size) throws IOException {
    int chunkSize = 64 * 1024;
    ByteBuffer chunk = ByteBuffer.allocate(chunkSize);
    byte[] zeros = new byte[chunkSize];
    long position = from;
    while (position < size) {
      chunk.clear().limit((int) Math.min(chunkSize, size - position));
      int n = file.read(chunk, position);
      if (n < 0) {
        return true;
      }
      if (Arrays.mismatch(chunk.array(), 0, n, zeros, 0, n) >= 0) {
        return false;
      }
      position += n;
    }
    return true;
  }

  /**
   * Looks for any valid record after damaged bytes. A torn write only affects the end of what was
   * being written, so a valid later record (with a plausible offset) proves mid-file corruption.
   */
  private static boolean validRecordFollows(WalFile file, long from, long size, long expected)
      throws IOException {
    long span = size - from - 1;
    if (span < WalFormat.RECORD_HEADER_SIZE) {
      return false;
    }
    ByteBuffer tail = ByteBuffer.allocate((int) Math.min(span, Integer.MAX_VALUE - 8));
    while (tail.hasRemaining() && file.read(tail, from + 1 + tail.position()) >= 0) {
      // read all of it
    }
    int len = tail.flip().limit();
    long maxOffset = expected + len / WalFormat.RECORD_HEADER_SIZE + 1;
    for (int q = 0; q + WalFormat.RECORD_HEADER_SIZE <= len; q++) {
      long offset = WalFormat.offsetAt(tail, q);
      if (offset < expected || offset > maxOffset) {
        continue;
      }
      long length = WalFormat.declaredLength(tail, q);
      if (length > WalFormat.MAX_PAYLOAD || q + WalFormat.RECORD_HEADER_SIZE + length > len) {
        continue;
      }
      if (WalFormat.checkRecord(tail, q, (int) length) == null) {
        return true;
      }
    }
    return false;
  }

  private static RstmdbException corrupt(Path file, long position, String problem) {
    return new RstmdbException(
        ErrorCode.WAL_IO_ERROR,
        "WAL segment "
            + file
            + " is damaged at byte "
            + position
            + ": "
            + problem
            + "; refusing to open (only a torn tail of the last segment is repaired automatically)",
        Map.of("file", file.toString(), "position", position));
  }
}
