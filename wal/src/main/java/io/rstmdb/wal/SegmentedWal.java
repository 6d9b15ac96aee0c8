package io.rstmdb.wal;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The write-ahead log as segment files in one directory (format: {@link WalFormat},
 * docs/storage-format.md).
 *
 * <p>Appends are group-committed by one writer thread: everything waiting is written with one
 * gathering write and, under {@code every_write}, made durable with one fsync before any of it is
 * acknowledged. Readers read the files directly, concurrently with the writer, and only up to what
 * was acknowledged. Any write or fsync failure stops the log (see {@link WalPort}); reopen it to
 * recover.
 *
 * <p>Append futures are completed, in offset order, by the thread that wrote their batch (the
 * writer thread; under {@code never}, sometimes an appender ending its burst), so actions chained
 * on them with non-async methods ({@code thenRun}, ...) run there and the log writes nothing more
 * until they return: keep them short, and never block in them on another append or close the log
 * from them (chain it, or use the {@code *Async} variants).
 *
 * <pre>{@code
 * try (SegmentedWal wal = SegmentedWal.open(dataDir.resolve("wal"), WalOptions.defaults())) {
 *   WalPort.Append a = wal.append(List.of(entry));
 *   a.durable().join();
 *   List<WalRecord> records = wal.read(0, 100);
 * }
 * }</pre>
 */
public final class SegmentedWal implements WalPort {
  private final WalFormat format = new WalFormat();
  private final RecordParser parser = new RecordParser(format, ForkJoinPool.commonPool());
  private final IoCounters counters;
  private final SegmentSet segments;
  private final GroupCommitWriter writer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SegmentedWal(IoCounters counters, SegmentSet segments, GroupCommitWriter writer) {
    this.counters = counters;
    this.segments = segments;
    this.writer = writer;
  }

  /**
   * Opens the log in {@code walDir} (created if missing), recovering it first: a torn tail of the
   * last segment is truncated and logged; any other damage refuses to open.
   *
   * @throws RstmdbException with {@code WAL_IO_ERROR} naming the file and byte position of damage,
   *     or when the directory cannot be read or written
   */
  public static SegmentedWal open(Path walDir, WalOptions options) {
    Objects.requireNonNull(walDir, "walDir");
    Objects.requireNonNull(options, "options");
    IoCounters counters = new IoCounters();
    FileIo io = new CountingFileIo(options.io(), counters);
    SegmentRecovery.Recovered recovered;
    try {
      recovered = new SegmentRecovery(walDir, io, options.failpoints()).recover();
    } catch (IOException e) {
      throw new RstmdbException(
          ErrorCode.WAL_IO_ERROR, "cannot open the WAL in " + walDir + ": " + IoReason.of(e), e);
    }
    SegmentSet segments =
        new SegmentSet(
            walDir, io, options.failpoints(), recovered.segments(), recovered.nextOffset());
    GroupCommitWriter writer =
        new GroupCommitWriter(
            segments,
            recovered.nextOffset(),
            options.fsyncPolicy(),
            options.segmentSizeBytes(),
            options.failpoints());
    try {
      writer.start();
    } catch (IOException e) {
      segments.close();
      throw new RstmdbException(
          ErrorCode.WAL_IO_ERROR,
          "cannot prepare the WAL in " + walDir + " for writing: " + IoReason.of(e),
          e);
    }
    return new SegmentedWal(counters, segments, writer);
  }

  /**
   * {@inheritDoc}
   *
   * @throws RstmdbException BAD_REQUEST, with nothing appended, when the entries together could
   *     take more than 16 MiB less 64 KiB in a reply
   * @throws IllegalArgumentException when {@code entries} is empty, or an entry cannot be stored
   *     (not serializable, or a type outside the known set that is not the body's {@code "type"}
   *     field)
   */
  @Override
  public Append append(List<WalEntry> entries) {
    Objects.requireNonNull(entries, "entries");
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("append needs at least one entry");
    }
    List<WalEntry> copy = List.copyOf(entries);
    return writer.submit(copy, format.payloads(copy));
  }

  /**
   * Appends inside the burst wake the writer once, when it ends (see {@link GroupCommitWriter}).
   */
  @Override
  public <T> T inBurst(Supplier<T> burst) {
    return writer.inBurst(burst);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: the segment holding {@code offset} is sealed and the next one starts at it, at once if
   * nothing below it is still queued (see {@code docs/storage-format.md}, Rotation).
   */
  @Override
  public CompletableFuture<Void> cutAt(long offset) {
    return writer.cutAt(offset);
  }

  @Override
  public List<WalRecord> read(long fromOffset, int limit) {
    return read(fromOffset, limit, Long.MAX_VALUE);
  }

  /** Counts each record's payload (its entry's stored JSON), not its 20-byte header. */
  @Override
  public List<WalRecord> read(long fromOffset, int limit, long maxBytes) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
    List<WalRecord> out = new ArrayList<>(Math.min(limit, 1024));
    while (true) {
      WalView view = segments.view();
      if (view.closed()) {
        throw SegmentSet.closedError();
      }
      long start = Math.max(fromOffset, view.oldestOffset());
      if (start >= view.durableNext()) {
        return out;
      }
      boolean segmentVanished = false;
      long budget = maxBytes;
      List<Segment> list = view.segments();
      for (int i = view.segmentIndexFor(start);
          i < list.size() && out.size() < limit && budget > 0;
          i++) {
        Segment segment = list.get(i);
        if (!segment.retain()) {
          // deleteBefore removed it just now; look again at what is retained.
          segmentVanished = true;
          break;
        }
        try {
          budget -=
              readSegment(
                  segment, start, view.readableEnd(i), view.durableNext(), limit, budget, out);
        } finally {
          segment.release();
        }
        if (!out.isEmpty()) {
          start = out.get(out.size() - 1).offset() + 1;
        }
      }
      if (!segmentVanished) {
        return out;
      }
      // deleteBefore removed a segment under us: read again as if after the deletion, so one
      // result never has a hole in it.
      out.clear();
    }
  }

  /**
   * Reads into {@code out} until it holds {@code limit} records or this segment's records reach
   * {@code budget} payload bytes; returns the payload bytes read.
   */
  private long readSegment(
      Segment segment,
      long start,
      long end,
      long durableNext,
      int limit,
      long budget,
      List<WalRecord> out) {
    RecordCursor cursor = new RecordCursor(segment.file(), segment.startPositionFor(start), end);
    List<RawRecord> raws = new ArrayList<>(Math.min(limit - out.size(), 1024));
    long bytes = 0;
    try {
      while (out.size() + raws.size() < limit && bytes < budget) {
        RawRecord r = cursor.next();
        if (r == null || r.offset() >= durableNext) {
          break;
        }
        if (r.offset() >= start) {
          raws.add(r);
          bytes += r.payload().length;
        }
      }
    } catch (CorruptRecordException e) {
      // Records before the damage that do not parse are reported first, as a reader going one
      // record at a time would have met them first.
      try {
        parser.check(raws);
      } catch (RecordParser.BadRecord bad) {
        throw damaged(segment.path(), bad);
      }
      throw damaged(segment.path(), e.position(), e.getMessage());
    } catch (IOException e) {
      throw new RstmdbException(
          ErrorCode.WAL_IO_ERROR,
          "reading WAL segment " + segment.path() + " failed: " + IoReason.of(e),
          e);
    }
    // Entries are parsed when first asked for; one that does not parse throws then.
    Path path = segment.path();
    parser.addLazily(raws, bad -> damaged(path, bad), out);
    return bytes;
  }

  private static RstmdbException damaged(Path path, RecordParser.BadRecord bad) {
    return damaged(path, bad.record().position(), bad.getMessage());
  }

  private static RstmdbException damaged(Path path, long position, String problem) {
    return new RstmdbException(
        ErrorCode.WAL_IO_ERROR,
        "WAL segment " + path + " is damaged at byte " + position + ": " + problem);
  }

  @Override
  public long oldestOffset() {
    return segments.view().oldestOffset();
  }

  @Override
  public long nextOffset() {
    return writer.nextOffset();
  }

  @Override
  public long durableOffset() {
    return segments.view().durableNext();
  }

  @Override
  public WalStats stats() {
    WalView view = segments.view();
    long entries = view.durableNext() - view.oldestOffset();
    return new WalStats(
        entries,
        segments.count(),
        segments.totalSize(),
        entries > 0 ? view.durableNext() - 1 : -1,
        counters.snapshot());
  }

  @Override
  public Reclaimed deleteBefore(long offset) {
    return segments.deleteBefore(offset);
  }

  /** Writes and fsyncs everything appended, completes its futures, and releases the files. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.close();
    segments.close();
  }
}
