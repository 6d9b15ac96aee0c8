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

/**
 * Times what a server does at startup before it listens: open the WAL (segment scan, tail check),
 * open the snapshot store, and rebuild the state from the newest snapshot plus the WAL after it.
 * Prints one JSON line with the wall time and the process CPU time (all threads, GC and JIT
 * included), which on a busy machine says more than the wall time. Automatic compaction is off so
 * timing a data directory leaves it unchanged.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rstmdb.bench.load.RecoveryTimer DATA_DIR
 * </pre>
 */
public final class RecoveryTimer {

  private RecoveryTimer() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]);
    long walBytes = sizeOf(data.resolve("wal"));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    SegmentedWal wal = SegmentedWal.open(data.resolve("wal"), WalOptions.defaults());
    FileSnapshotStore snapshots =
        FileSnapshotStore.open(data.resolve("snapshots"), Failpoints.NONE);
    Engine engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            wal,
            snapshots,
            Clock.system(),
            Failpoints.NONE);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
    RecoveryReport report = engine.recovery();
    System.out.printf(
        Locale.ROOT,
        "{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"wal_bytes\":%d,\"snapshot\":%s,\"replayed_records\":%d}%n",
        seconds,
        cpuSeconds,
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
