package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.failpoint.Failpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * A slow disk (appends stay pending until released), compactions and crashes at random points:
 * after every crash and recovery, every acknowledged write is present, and the state is exactly
 * what the durable WAL prefix says, so nothing that was never durable shows up.
 */
class EngineCrashPropertiesTest {
  private static final List<String> IDS = List.of("a", "b", "c");

  sealed interface Op {}

  record Create(String id) implements Op {}

  record Apply(String id, String event) implements Op {}

  record Release() implements Op {}

  record Compact() implements Op {}

  record Crash() implements Op {}

  @Property(tries = 60)
  void acknowledgedWritesSurviveCrashes(@ForAll("histories") @Size(max = 50) List<Op> ops) {
    InMemoryWal disk = new InMemoryWal(3);
    RecordingWal wal = new RecordingWal(disk);
    InMemorySnapshots snapshots = new InMemorySnapshots();
    ManualClock clock = new ManualClock(0);
    EngineConfig config =
        EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled());
    Engine engine = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
    await(engine.putMachine(new PutMachine("order", 1, json(Fixture.ORDER), null)));
    disk.manual(true);
    Map<String, CompletableFuture<?>> lastByInstance = new HashMap<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    try {
      for (Op op : ops) {
        if (op instanceof Create c) {
          CompletableFuture<CreateInstanceResult> f =
              engine.createInstance(new CreateInstance(c.id(), "order", 1, null, null));
          lastByInstance.merge(c.id(), f, (old, fresh) -> old);
          all.add(f);
        } else if (op instanceof Apply a) {
          CompletableFuture<ApplyEventResult> f =
              engine.applyEvent(new ApplyEvent(a.id(), a.event(), null, null, null, null, null));
          all.add(f);
        } else if (op instanceof Release) {
          disk.release();
        } else if (op instanceof Compact) {
          all.add(engine.compact(false));
        } else {
          engine = crashAndRecover(engine, disk, wal, snapshots, clock, config, all);
        }
      }
      engine = crashAndRecover(engine, disk, wal, snapshots, clock, config, all);
    } finally {
      disk.release();
      engine.close();
    }
  }

  private Engine crashAndRecover(
      Engine engine,
      InMemoryWal disk,
      RecordingWal wal,
      InMemorySnapshots snapshots,
      ManualClock clock,
      EngineConfig config,
      List<CompletableFuture<?>> all) {
    // Let the sequencer hand everything queued to the WAL, then pull the plug.
    engine.dump().handle((ok, error) -> null).join();
    long durable = disk.durableOffset();
    disk.crash();
    wal.keepFirst(durable);
    engine.close();
    List<Object> acknowledged = new ArrayList<>();
    for (CompletableFuture<?> f : all) {
      try {
        acknowledged.add(f.getNow(null));
      } catch (CompletionException | CancellationException notAcked) {
        // failed or lost: no promise was made
      }
    }
    all.clear();
    disk.manual(false);
    Engine recovered = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
    disk.manual(true);

    for (Object ack : acknowledged) {
      if (ack instanceof CreateInstanceResult c) {
        InstanceView view = await(recovered.getInstance(c.instanceId()));
        assertThat(view.lastWalOffset()).isGreaterThanOrEqualTo(c.walOffset());
      } else if (ack instanceof ApplyEventResult a) {
        assertThat(a.walOffset()).isLessThan(durable);
      }
    }
    assertThat(Fixture.await(recovered.dump())).isEqualTo(replay(wal, config, clock));
    return recovered;
  }

  /** The state a fresh engine builds from the surviving entries alone. */
  private static List<JsonNode> replay(RecordingWal wal, EngineConfig config, ManualClock clock) {
    InMemoryWal full = new InMemoryWal(3);
    wal.appended().forEach(e -> full.append(List.of(e)));
    Engine fresh = Engine.open(config, full, new InMemorySnapshots(), clock, Failpoints.NONE);
    try {
      return await(fresh.dump());
    } finally {
      fresh.close();
    }
  }

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<String> ids = Arbitraries.of(IDS);
    return Arbitraries.<Op>frequencyOf(
            Tuple.of(3, ids.map(Create::new)),
            Tuple.of(
                5,
                Combinators.combine(ids, Arbitraries.of("PAY", "TOUCH", "CANCEL")).as(Apply::new)),
            Tuple.of(4, Arbitraries.just(new Release())),
            Tuple.of(1, Arbitraries.just(new Compact())),
            Tuple.of(1, Arbitraries.just(new Crash())))
        .list();
  }
}
