package io.rstmdb.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.FsyncPolicy;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.LongFunction;

/**
 * Writes data directories for the recovery rows through the real engine and WAL (in process, fsync
 * {@code never}, no compaction), so the records are exactly what a server writes, only faster to
 * produce than over the network. Machine {@code perf-load}, instances {@code g-0 .. g-(I-1)}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rstmdb.bench.load.DataGenerator fill DIR \
 *     --instances 1000 --applies 1000000 [--until-wal-bytes N] [--payload-bytes 200]
 * java -cp ... DataGenerator compact DIR --instances 1000 --tail 10000
 * </pre>
 *
 * {@code fill} creates the instances when the directory is new and then applies events round-robin
 * ({@code --applies} of them, or until the WAL holds {@code --until-wal-bytes}); {@code compact}
 * forces a STATE snapshot (deleting the WAL it covers) and then writes a tail of applies.
 */
public final class DataGenerator {

  private static final String MACHINE = "perf-load";
  private static final int IN_FLIGHT = 512;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, String> options;
  private final Engine engine;
  private final SegmentedWal wal;
  private final FileSnapshotStore snapshots;

  private DataGenerator(Path dir, Map<String, String> options) {
    this.options = options;
    this.wal =
        SegmentedWal.open(
            dir.resolve("wal"), WalOptions.defaults().withFsyncPolicy(new FsyncPolicy.Never()));
    this.snapshots = FileSnapshotStore.open(dir.resolve("snapshots"), Failpoints.NONE);
    this.engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            wal,
            snapshots,
            Clock.system(),
            Failpoints.NONE);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 2; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    DataGenerator generator = new DataGenerator(Path.of(args[1]), options);
    long start = System.nanoTime();
    switch (args[0]) {
      case "fill" -> generator.fill();
      case "compact" -> generator.compactThenTail();
      default -> throw new IllegalArgumentException("fill or compact, not " + args[0]);
    }
    generator.close();
    System.out.printf(
        Locale.ROOT,
        "{\"seconds\":%.1f,\"wal_bytes\":%d}%n",
        (System.nanoTime() - start) / 1e9,
        generator.walBytes);
    System.exit(0);
  }

  private long walBytes;

  private long number(String name, long fallback) {
    return Long.parseLong(options.getOrDefault(name, Long.toString(fallback)));
  }

  private ObjectNode filler(String key, long bytes) {
    ObjectNode o = mapper.createObjectNode();
    if (bytes > 0) {
      o.put(key, "x".repeat((int) Math.max(1, bytes - key.length() - 7)));
    }
    return o;
  }

  private void fill() throws Exception {
    long instances = number("instances", 1000);
    long applies = number("applies", 1_000_000);
    long untilBytes = number("until-wal-bytes", 0);
    ObjectNode ctx = filler("note", number("ctx-bytes", 20));
    ObjectNode payload = filler("data", number("payload-bytes", 200));
    if (wal.nextOffset() == 0) {
      putMachine();
      run(
          instances,
          n -> engine.createInstance(new CreateInstance("g-" + n, MACHINE, 1, ctx, null)));
    }
    LongFunction<CompletableFuture<?>> apply =
        n ->
            engine.applyEvent(
                new ApplyEvent("g-" + (n % instances), "GO", payload, null, null, null, null));
    if (untilBytes > 0) {
      long done = 0;
      while (wal.stats().totalSizeBytes() < untilBytes) {
        run(100_000, n -> apply.apply(n));
        done += 100_000;
      }
      System.err.println("applied " + done);
    } else {
      run(applies, apply);
    }
  }

  private void compactThenTail() throws Exception {
    long instances = number("instances", 1000);
    engine.compact(true).get();
    ObjectNode payload = filler("data", number("payload-bytes", 200));
    run(
        number("tail", 10_000),
        n ->
            engine.applyEvent(
                new ApplyEvent("g-" + (n % instances), "GO", payload, null, null, null, null)));
  }

  private void putMachine() throws Exception {
    ObjectNode def = mapper.createObjectNode();
    def.putArray("states").add("a").add("b");
    def.put("initial", "a");
    ArrayNode transitions = def.putArray("transitions");
    transitions.addObject().put("from", "a").put("event", "GO").put("to", "b");
    transitions.addObject().put("from", "b").put("event", "GO").put("to", "a");
    engine.putMachine(new PutMachine(MACHINE, 1, def, null)).get();
  }

  /**
   * Issues {@code count} calls with at most {@link #IN_FLIGHT} unfinished; fails on the first
   * error.
   */
  private static void run(long count, LongFunction<CompletableFuture<?>> call) throws Exception {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CompletableFuture<Void> failed = new CompletableFuture<>();
    for (long n = 0; n < count && !failed.isDone(); n++) {
      slots.acquire();
      call.apply(n)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  failed.completeExceptionally(e);
                }
                slots.release();
              });
    }
    slots.acquire(IN_FLIGHT);
    if (failed.isDone()) {
      failed.get();
    }
  }

  private void close() {
    engine.close();
    walBytes = wal.stats().totalSizeBytes();
    wal.close();
    snapshots.close();
  }
}
