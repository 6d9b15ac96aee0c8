package io.rstmdb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalStats;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Synced append throughput of {@link SegmentedWal} ({@code every_write}: no append completes before
 * its record is fsynced) at 1, 8 and 64 concurrent appenders of ~200-byte entries, next to two
 * baselines on the same disk:
 *
 * <ul>
 *   <li>{@code plainForcePerRecord}: a FileChannel writing one record and forcing it, one fsync per
 *       record — what a WAL without group commit can do;
 *   <li>{@code rawGroupCommit}: one thread writing {@code batch} records with one write and one
 *       force — the ceiling for group commit with that many records per fsync. Compare the WAL at
 *       64 appenders with the raw loop whose {@code batch} equals the records per fsync the WAL
 *       printed at the end of its trial ("records/fsync"): same bytes, same number of fsyncs. It
 *       writes into a file that grows;
 *   <li>{@code rawGroupCommitIntoZeroedSpace}: the same loop into space zero-filled and synced
 *       beforehand, as the WAL writes into its preallocated segment — the like-for-like ceiling.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WalAppendBench -f 1 -wi 1 -i 3 -r 2s}
 * (files go to {@code -Dbench.dir}, default the system temp directory; use the disk you care
 * about). To match the WAL's fsync count exactly, rerun the raw loop with {@code -p batch=N}.
 *
 * <p>Caveat seen on a shared VM (ext4 on virtio): a thread issuing write+fdatasync back to back got
 * ~150-300 fsyncs/s, while the same syscalls on the same file issued by a writer thread that hands
 * off to other threads between fsyncs got ~2000/s. The two baselines are such tight loops, so there
 * they understate the disk; {@code segmentedWal_1appender} (one fsync per record) is the fairer
 * per-record baseline on such machines, and {@code rawGroupCommitOnWriterThread} the fairer
 * group-commit ceiling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class WalAppendBench {

  /** Builds the ~200-byte entry every benchmark writes. */
  static WalEntry entry(ObjectMapper mapper) {
    ObjectNode body = mapper.createObjectNode();
    body.put("type", "apply_event")
        .put("instance_id", "order-000123")
        .put("event", "PAY")
        .put("from_state", "created")
        .put("to_state", "paid");
    body.putObject("payload").put("amount", 99.99).put("currency", "EUR");
    body.putObject("ctx").put("amount", 99.99).put("currency", "EUR").put("customer", "alice");
    body.put("event_id", "e-0000000001");
    return new WalEntry("apply_event", body);
  }

  static Path benchDir(String prefix) throws IOException {
    Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
    return Files.createTempDirectory(base, prefix);
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One open WAL shared by all appender threads of a benchmark. */
  @State(Scope.Benchmark)
  public static class Wal {
    SegmentedWal wal;
    List<WalEntry> entries;
    Path dir;
    WalStats.IoStats start;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = benchDir("wal-bench");
      wal = SegmentedWal.open(dir, WalOptions.defaults());
      entries = List.of(entry(new ObjectMapper()));
      start = wal.stats().io();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      WalStats.IoStats end = wal.stats().io();
      long records = wal.nextOffset();
      long fsyncs = end.fsyncs() - start.fsyncs();
      System.out.printf(
          "%n[WalAppendBench] records=%d fsyncs=%d records/fsync=%.1f bytes/record=%.0f%n",
          records,
          fsyncs,
          fsyncs == 0 ? 0.0 : (double) records / fsyncs,
          records == 0 ? 0.0 : (double) (end.bytesWritten() - start.bytesWritten()) / records);
      wal.close();
      deleteTree(dir);
    }
  }

  @Benchmark
  @Threads(1)
  public void segmentedWal_1appender(Wal state) {
    state.wal.append(state.entries).durable().join();
  }

  @Benchmark
  @Threads(8)
  public void segmentedWal_8appenders(Wal state) {
    state.wal.append(state.entries).durable().join();
  }

  @Benchmark
  @Threads(64)
  public void segmentedWal_64appenders(Wal state) {
    state.wal.append(state.entries).durable().join();
  }

  /** A plain file and {@code batch} encoded records of the size the WAL writes. */
  public abstract static class PlainFile {
    FileChannel channel;
    Path dir;
    ByteBuffer records;

    void open(int batch) throws IOException {
      dir = benchDir("plain-bench");
      channel =
          FileChannel.open(
              dir.resolve("plain.log"),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.READ);
      ObjectMapper mapper = new ObjectMapper();
      byte[] json =
          mapper.writeValueAsString(entry(mapper).body()).getBytes(StandardCharsets.UTF_8);
      int recordSize = 20 + json.length; // the WAL's record header + the same payload
      records = ByteBuffer.allocateDirect(recordSize * batch);
      for (int i = 0; i < batch; i++) {
        records.put(new byte[20]).put(json);
      }
      records.flip();
    }

    void writeAndForce() throws IOException {
      ByteBuffer b = records.duplicate();
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      channel.close();
      deleteTree(dir);
    }

    @TearDown(Level.Iteration)
    public void rewind() throws IOException {
      // Keep the file from growing without bound between iterations.
      channel.truncate(0);
      channel.position(0);
    }

    /**
     * Writes and syncs {@code bytes} of zeros, then goes back to the start: later writes land in
     * allocated space inside the file's length, as the WAL's do (no size change to journal).
     */
    void zeroFill(long bytes) throws IOException {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long left = bytes; left > 0; left -= zeros.capacity()) {
        ByteBuffer b = zeros.duplicate();
        while (b.hasRemaining()) {
          channel.write(b);
        }
      }
      channel.force(true);
      channel.position(0);
    }
  }

  /** {@code batch} records per write and fsync into zero-filled space, as the WAL writes. */
  @State(Scope.Thread)
  public static class ZeroedBatchFile extends BatchFile {
    /** More than an iteration writes at ~300k records/s of ~255 bytes. */
    static final long ZEROED_BYTES = 512L << 20;

    @Setup(Level.Trial)
    public void zeroed() throws IOException {
      zeroFill(ZEROED_BYTES);
    }

    @Override
    public void rewind() throws IOException {
      channel.position(0);
    }
  }

  /** One record per write and fsync. */
  @State(Scope.Thread)
  public static class SingleRecordFile extends PlainFile {
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      open(1);
    }
  }

  /** {@code batch} records per write and fsync. */
  @State(Scope.Thread)
  public static class BatchFile extends PlainFile {
    @Param({"8", "32", "64"})
    public int batch;

    ExecutorService writer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      open(batch);
      writer = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void stopWriter() {
      writer.shutdown();
    }
  }

  /** Counts records (not invocations) for the raw group-commit loop. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Records {
    public long records;

    @Setup(Level.Iteration)
    public void reset() {
      records = 0;
    }
  }

  @Benchmark
  @Threads(1)
  public void plainForcePerRecord(SingleRecordFile file) throws IOException {
    file.writeAndForce();
  }

  @Benchmark
  @Threads(1)
  public void rawGroupCommit(BatchFile file, Records counter) throws IOException {
    file.writeAndForce();
    counter.records += file.batch;
  }

  /** The raw loop into zero-filled space: the like-for-like ceiling for the WAL's own writes. */
  @Benchmark
  @Threads(1)
  public void rawGroupCommitIntoZeroedSpace(ZeroedBatchFile file, Records counter)
      throws IOException {
    file.writeAndForce();
    counter.records += file.batch;
  }

  /**
   * The raw loop with the I/O on a dedicated writer thread that the caller waits for, as in the
   * WAL: isolates what the WAL adds (JSON, CRC, queueing, futures) from the thread-handoff effect
   * described in the class comment.
   */
  @Benchmark
  @Threads(1)
  public void rawGroupCommitOnWriterThread(BatchFile file, Records counter) throws Exception {
    file.writer
        .submit(
            () -> {
              file.writeAndForce();
              return null;
            })
        .get();
    counter.records += file.batch;
  }
}
