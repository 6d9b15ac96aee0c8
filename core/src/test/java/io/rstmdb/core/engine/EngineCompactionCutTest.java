package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.CompactResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.port.ForwardingWal;
import io.rstmdb.core.port.WalPort;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A compaction asks the WAL to cut at its snapshot's offset, under the sequencer (no write in
 * between), and deletes only once the cut is in place, so the deletion can reach the cut.
 */
class EngineCompactionCutTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> cutMade = new CompletableFuture<>();
  private final InMemorySnapshots snapshots = new InMemorySnapshots();
  private final ManualClock clock = new ManualClock(1_767_225_600_000L);
  private Engine engine;

  /** Records cuts and deletions; its cuts complete when the test says so. */
  private final class CuttingWal extends ForwardingWal {
    CuttingWal(WalPort delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<Void> cutAt(long offset) {
      calls.add("cut at " + offset + " (next " + nextOffset() + ")");
      return cutMade;
    }

    @Override
    public Reclaimed deleteBefore(long offset) {
      calls.add("delete before " + offset + (cutMade.isDone() ? " after the cut" : " too early"));
      return super.deleteBefore(offset);
    }
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void theSnapshotWaitsForTheCutAndTheDeletionComesAfterIt() throws Exception {
    engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            new CuttingWal(new InMemoryWal()),
            snapshots,
            clock,
            name -> {});
    await(engine.putMachine(new PutMachine("order", 1, Fixture.json(Fixture.ORDER), null)));
    await(engine.createInstance(new CreateInstance("a", "order", 1, null, null)));
    await(engine.createInstance(new CreateInstance("b", "order", 1, null, null)));

    CompletableFuture<CompactResult> compact = engine.compact(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (calls.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(50); // room for a compaction that would not wait
    assertThat(calls).containsExactly("cut at 3 (next 3)");
    assertThat(snapshots.list()).isEmpty();
    assertThat(compact).isNotDone();

    cutMade.complete(null);
    await(compact);

    assertThat(calls).containsExactly("cut at 3 (next 3)", "delete before 3 after the cut");
    assertThat(snapshots.list())
        .singleElement()
        .satisfies(s -> assertThat(s.walOffset()).isEqualTo(3));
  }
}
