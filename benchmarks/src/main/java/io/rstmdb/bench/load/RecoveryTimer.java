package io.rstmdb.bench.load;

import com.sun.management.OperatingSystemMXBean;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.core.engine.RecoveryReport;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Times what a server does at startup before it listens: open the WAL (segment scan, tail check),
 * open the snapshot store, and rebuild the state from the newest snapshot plus the WAL after it.
 * Prints one JSON line with the wall time of that whole window ({@code seconds}), of each of its
 * three steps, and the process CPU time over the window (all threads, GC and JIT included), which
 * on a busy machine says more than the wall time. Automatic compaction is off so timing a data
 * directory leaves it unchanged.
 *
 * <p>Logging is set up before the window, as the server's {@code Main} does (its logger is created
 * when the class loads, before any store is opened); the time that takes is reported apart as
 * {@code logging_init_seconds}, not hidden.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rstmdb.bench.load.RecoveryTimer DATA_DIR
 * </pre>
 */
public final class RecoveryTimer {

  private RecoveryTimer() {}

  public static void main(String[] args) throws IOException {
    long loggingStart = System.nanoTime();
    LoggerFactory.getLogger(RecoveryTimer.class).debug("recovery timer starting");
    double loggingSeconds = (System.nanoTime() - loggingStart) / 1e9;
    Path data = Path.of(args[0]);
    long walBytes = sizeOf(data.resolve("wal"));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    SegmentedWal wal = SegmentedWal.open(data.resolve("wal"), WalOptions.defaults());
    long walOpened = System.nanoTime();
    FileSnapshotStore snapshots =
        FileSnapshotStore.open(data.resolve("snapshots"), Failpoints.NONE);
    long storeOpened = System.nanoTime();
    Engine engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            wal,
            snapshots,
            Clock.system(),
            Failpoints.NONE);
    long rebuilt = System.nanoTime();
    double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
    RecoveryReport report = engine.recovery();
    System.out.printf(
        Locale.ROOT,
        "{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"wal_open_seconds\":%.3f,"
            + "\"snapshot_store_open_seconds\":%.3f,\"rebuild_seconds\":%.3f,"
            + "\"logging_init_seconds\":%.3f,\"wal_bytes\":%d,\"snapshot\":%s,"
            + "\"replayed_records\":%d}%n",
        (rebuilt - start) / 1e9,
        cpuSeconds,
        (walOpened - start) / 1e9,
        (storeOpened - walOpened) / 1e9,
        (rebuilt - storeOpened) / 1e9,
        loggingSeconds,
        walBytes,
        report.snapshotId() == null ? "null" : "\"" + report.snapshotId() + "\"",
        report.replayedRecords());
    engine.close();
    wal.close();
    snapshots.close();
    System.exit(0);
  }

  private static long sizeOf(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
