package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.Command;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.api.MachineView;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.failpoint.Failpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Random command histories (with compactions and restarts in between) must keep the engine's
 * invariants: every instance is in a state of its machine; replaying every WAL entry ever written
 * rebuilds the live state; recovering from snapshot + tail gives the same state; and repeating a
 * keyed command changes nothing.
 */
class EnginePropertiesTest {
  private static final String ROUTED =
      """
      {"states":["new","big","small","done"],"initial":"new","transitions":[
        {"from":"new","event":"GO","to":"big","guard":"ctx.amount > 1"},
        {"from":"new","event":"GO","to":"small","guard":"ctx.amount > 0"},
        {"from":["big","small"],"event":"PAY","to":"done"},
        {"from":"done","event":"TOUCH","to":"done"}]}
      """;
  private static final List<String> IDS = List.of("a", "b", "c", "d");
  private static final List<String> KEYS = List.of("k1", "k2");
  private static final List<String> EVENTS = List.of("PAY", "SHIP", "CANCEL", "TOUCH", "GO");
  private static final List<String> MACHINES = List.of("order", "routed");

  sealed interface Op {}

  record Put(String machine, long version) implements Op {}

  record Run(Command command) implements Op {}

  record RunBatch(boolean atomic, List<Command> commands) implements Op {}

  record Compact(boolean force) implements Op {}

  record Restart() implements Op {}

  record Tick(long millis) implements Op {}

  @Property(tries = 60)
  void historiesKeepTheInvariants(@ForAll("histories") @Size(max = 60) List<Op> ops) {
    RecordingWal wal = new RecordingWal(new InMemoryWal(3));
    InMemorySnapshots snapshots = new InMemorySnapshots();
    ManualClock clock = new ManualClock(1_000);
    EngineConfig config =
        EngineConfig.defaults()
            .withCompaction(EngineConfig.Compaction.disabled())
            .withAllowInstanceRecreate(true);
    Engine engine = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
    try {
      // Most commands need machines; store them first so histories do real work.
      for (String machine : MACHINES) {
        for (long version = 1; version <= 2; version++) {
          engine = run(new Put(machine, version), engine, config, wal, snapshots, clock);
        }
      }
      for (Op op : ops) {
        engine = run(op, engine, config, wal, snapshots, clock);
      }
      List<JsonNode> live = settle(engine.dump());

      assertStatesAreValid(engine);
      long liveCount =
          settle(engine.dump()).stream()
              .filter(i -> i.path("kind").asText().equals("instance"))
              .filter(i -> !i.path("deleted").asBoolean())
              .count();
      var all = settle(engine.listInstances(new InstanceQuery(null, null, null, 1000, 0)));
      assertThat(all.total()).isEqualTo(liveCount).isEqualTo(all.instances().size());
      // Paging through (the fast unfiltered path) and a filter that matches all agree.
      var paged = new ArrayList<InstanceView>();
      for (long offset = 0; offset < liveCount; offset += 2) {
        paged.addAll(
            settle(engine.listInstances(new InstanceQuery(null, null, null, 2, offset)))
                .instances());
      }
      assertThat(paged).isEqualTo(all.instances());
      long byMachine = 0;
      for (String m : MACHINES) {
        byMachine += settle(engine.listInstances(new InstanceQuery(m, null, null, 0, 0))).total();
      }
      assertThat(byMachine).isEqualTo(liveCount);

      // Replay of every entry ever written (the WAL itself may be trimmed) rebuilds the state.
      InMemoryWal full = new InMemoryWal(3);
      for (var entry : wal.appended()) {
        full.append(List.of(entry));
      }
      Engine replayed = Engine.open(config, full, new InMemorySnapshots(), clock, Failpoints.NONE);
      try {
        assertThat(settle(replayed.dump())).isEqualTo(live);
      } finally {
        replayed.close();
      }

      // Recovery from the newest snapshot + the WAL tail gives the same state.
      engine.close();
      engine = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
      assertThat(settle(engine.dump())).isEqualTo(live);
    } finally {
      engine.close();
    }
  }

  private Engine run(
      Op op,
      Engine engine,
      EngineConfig config,
      RecordingWal wal,
      InMemorySnapshots snapshots,
      ManualClock clock) {
    if (op instanceof Put p) {
      String definition = p.machine().equals("order") && p.version() == 1 ? Fixture.ORDER : ROUTED;
      settleQuietly(
          engine.putMachine(new PutMachine(p.machine(), p.version(), json(definition), null)));
    } else if (op instanceof Run r) {
      boolean keyed = key(r.command()) != null;
      settleQuietly(execute(engine, r.command()));
      if (keyed) {
        List<JsonNode> before = settle(engine.dump());
        long head = wal.nextOffset();
        settleQuietly(execute(engine, r.command()));
        assertThat(wal.nextOffset()).isEqualTo(head);
        assertThat(settle(engine.dump())).isEqualTo(before);
      }
    } else if (op instanceof RunBatch b) {
      settleQuietly(engine.batch(new Batch(b.atomic(), b.commands())));
    } else if (op instanceof Compact c) {
      settle(engine.compact(c.force()));
    } else if (op instanceof Restart) {
      engine.close();
      return Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
    } else if (op instanceof Tick t) {
      clock.advance(t.millis());
    }
    return engine;
  }

  private static CompletableFuture<?> execute(Engine engine, Command command) {
    if (command instanceof CreateInstance c) {
      return engine.createInstance(c);
    } else if (command instanceof ApplyEvent a) {
      return engine.applyEvent(a);
    }
    return engine.deleteInstance((DeleteInstance) command);
  }

  private static String key(Command command) {
    if (command instanceof CreateInstance c) {
      return c.idempotencyKey();
    } else if (command instanceof ApplyEvent a) {
      return a.idempotencyKey();
    }
    return ((DeleteInstance) command).idempotencyKey();
  }

  private static void assertStatesAreValid(Engine engine) {
    for (InstanceView i :
        settle(engine.listInstances(new InstanceQuery(null, null, null, 1000, 0))).instances()) {
      MachineView m = settle(engine.getMachine(i.machine(), i.version()));
      assertThat(MachineDefinition.parse(m.definition()).hasState(i.state())).isTrue();
    }
  }

  private static <T> T settle(CompletableFuture<T> future) {
    return Fixture.await(future);
  }

  private static void settleQuietly(CompletableFuture<?> future) {
    future.handle((ok, error) -> null).join();
  }

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<String> ids = Arbitraries.of(IDS);
    Arbitrary<String> keys = Arbitraries.of(KEYS).injectNull(0.6);
    Arbitrary<Command> create =
        Combinators.combine(
                ids.injectNull(0.2),
                Arbitraries.of(MACHINES),
                Arbitraries.longs().between(1, 2),
                keys)
            .as((id, m, v, k) -> (Command) new CreateInstance(id, m, v, json("{\"amount\":1}"), k));
    Arbitrary<JsonNode> payloads =
        Arbitraries.integers()
            .between(-1, 3)
            .map(n -> json("{\"amount\":" + n + "}"))
            .injectNull(0.3);
    Arbitrary<Command> apply =
        Combinators.combine(
                ids,
                Arbitraries.of(EVENTS),
                payloads,
                Arbitraries.of("created", "paid", "new").injectNull(0.8),
                Arbitraries.strings().alpha().ofLength(2).injectNull(0.5),
                keys)
            .as(
                (id, e, p, expected, eventId, k) ->
                    (Command) new ApplyEvent(id, e, p, expected, null, eventId, k));
    Arbitrary<Command> delete =
        Combinators.combine(ids, keys).as((id, k) -> (Command) new DeleteInstance(id, k));
    Arbitrary<Command> command =
        Arbitraries.frequencyOf(Tuple.of(3, create), Tuple.of(5, apply), Tuple.of(1, delete));
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            Tuple.of(
                2,
                Combinators.combine(Arbitraries.of(MACHINES), Arbitraries.longs().between(1, 2))
                    .as(Put::new)),
            Tuple.of(10, command.map(Run::new)),
            Tuple.of(
                2,
                Combinators.combine(Arbitraries.of(true, false), command.list().ofMaxSize(3))
                    .as(RunBatch::new)),
            Tuple.of(2, Arbitraries.of(true, false).map(Compact::new)),
            Tuple.of(1, Arbitraries.just(new Restart())),
            Tuple.of(1, Arbitraries.longs().between(1, 5_000).map(Tick::new)));
    return op.list();
  }
}
