package io.rstmdb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's APPLY_EVENT path (validate, route through a guard, merge the payload, encode the WAL
 * entry, append, apply, answer) on a WAL whose appends are durable at once, so only the engine's
 * own cost is measured. {@code applyOneAtATime} waits for each answer (latency-bound, one client);
 * {@code applyPipelined} keeps {@value #PIPELINE} requests in flight (sequencer throughput).
 *
 * <pre>
 * mvn -B -q -o -Pbench -pl benchmarks package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar EngineApplyBench -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineApplyBench {
  static final int PIPELINE = 64;
  private static final int INSTANCES = 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DEFINITION =
      "{\"states\":[\"open\",\"closed\"],\"initial\":\"open\",\"transitions\":["
          + "{\"from\":\"open\",\"event\":\"TICK\",\"to\":\"open\","
          + "\"guard\":\"ctx.enabled && ctx.count >= 0 || ctx.override\"},"
          + "{\"from\":\"open\",\"event\":\"CLOSE\",\"to\":\"closed\"}]}";

  private Engine engine;
  private JsonNode payload;
  private long next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            new DurableAtOnceWal(),
            new NoSnapshots(),
            Clock.system(),
            Failpoints.NONE);
    engine.putMachine(new PutMachine("bench", 1, MAPPER.readTree(DEFINITION), null)).join();
    JsonNode ctx = MAPPER.readTree("{\"enabled\":true,\"count\":0,\"owner\":\"bench\"}");
    for (int i = 0; i < INSTANCES; i++) {
      engine.createInstance(new CreateInstance("i-" + i, "bench", 1, ctx, null)).join();
    }
    payload = MAPPER.readTree("{\"count\":1,\"note\":\"tick\"}");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  private ApplyEvent nextCommand() {
    String id = "i-" + (next++ & (INSTANCES - 1));
    return new ApplyEvent(id, "TICK", payload, null, null, null, null);
  }

  @Benchmark
  public ApplyEventResult applyOneAtATime() {
    return engine.applyEvent(nextCommand()).join();
  }

  @Benchmark
  @OperationsPerInvocation(PIPELINE)
  public Object applyPipelined() {
    List<CompletableFuture<ApplyEventResult>> inFlight = new ArrayList<>(PIPELINE);
    for (int i = 0; i < PIPELINE; i++) {
      inFlight.add(engine.applyEvent(nextCommand()));
    }
    return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
  }

  /** Hands out offsets and completes every append at once; keeps nothing. */
  static final class DurableAtOnceWal implements WalPort {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private final AtomicLong next = new AtomicLong();

    @Override
    public Append append(List<WalEntry> entries) {
      return new Append(next.getAndAdd(entries.size()), DONE);
    }

    @Override
    public List<WalRecord> read(long fromOffset, int limit) {
      return List.of();
    }

    @Override
    public long oldestOffset() {
      return next.get();
    }

    @Override
    public long nextOffset() {
      return next.get();
    }

    @Override
    public long durableOffset() {
      return next.get();
    }

    @Override
    public WalStats stats() {
      return new WalStats(0, 1, 0, next.get() - 1, new WalStats.IoStats(0, 0, 0, 0, 0));
    }

    @Override
    public Reclaimed deleteBefore(long offset) {
      return Reclaimed.NONE;
    }

    @Override
    public void close() {}
  }

  /** The benchmark never snapshots. */
  static final class NoSnapshots implements SnapshotPort {
    @Override
    public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
      throw new UnsupportedOperationException("no snapshots in this benchmark");
    }

    @Override
    public List<SnapshotInfo> list() {
      return List.of();
    }

    @Override
    public SnapshotReader open(String snapshotId) {
      throw new UnsupportedOperationException("no snapshots in this benchmark");
    }

    @Override
    public void delete(String snapshotId) {}

    @Override
    public void close() {}
  }
}
