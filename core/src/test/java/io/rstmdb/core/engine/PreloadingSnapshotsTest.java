package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PreloadingSnapshotsTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** Offsets 0..4, a STATE snapshot at 5, then two more records. */
  private void historyWithSnapshot() {
    f.putOrder();
    f.create("a");
    f.apply("a", "PAY", "{\"amount\":3}");
    f.create("b");
    f.apply("b", "PAY", null);
    await(f.engine.compact(false));
    f.create("c");
    f.apply("a", "TOUCH", null);
  }

  /** Recovers a new engine through a preloading store over {@code store}. */
  private Engine reopen(SnapshotPort store) {
    f.engine.close();
    f.engine = Engine.open(f.config, f.wal, PreloadingSnapshots.start(store), f.clock, n -> {});
    return f.engine;
  }

  private static boolean waitsInFinish(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(PreloadingSnapshots.class.getName())
          && e.getMethodName().equals("finish")) {
        return true;
      }
    }
    return false;
  }

  private static boolean preloadThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("rstmdb-snapshot-preload") && t.isAlive());
  }

  @Test
  void recoveryUsesThePreloadedStateAndReadsTheSnapshotOnce() {
    historyWithSnapshot();
    List<JsonNode> live = f.dump();
    f.restart();
    RecoveryReport plain = f.engine.recovery();
    Counting counting = new Counting(f.snapshots);

    reopen(counting);

    assertThat(f.dump()).isEqualTo(live);
    assertThat(f.engine.recovery()).isEqualTo(plain);
    assertThat(plain.snapshotId()).isNotNull();
    assertThat(plain.replayedRecords()).isEqualTo(2);
    assertThat(counting.opens.get()).isEqualTo(1);
    assertThat(preloadThreadAlive()).isFalse();
  }

  @Test
  void aDamagedPreloadIsRejectedWithTheSameReasonAndAnOlderSnapshotIsUsed() {
    historyWithSnapshot(); // snapshot at 5, next offset 7
    await(f.engine.compact(false)); // snapshot at 7; only offsets 0..3 go
    f.create("e");
    List<JsonNode> live = f.dump();
    f.snapshots.damage(f.snapshots.list().get(0).id());
    f.restart();
    RecoveryReport plain = f.engine.recovery();
    assertThat(plain.rejectedSnapshots()).hasSize(1);

    reopen(f.snapshots);

    assertThat(f.dump()).isEqualTo(live);
    assertThat(f.engine.recovery()).isEqualTo(plain);
  }

  @Test
  void aPreloadRecoveryCannotUseIsAbandonedBeforeRecoveryReturns() throws Exception {
    historyWithSnapshot();
    SnapshotInfo real = f.snapshots.list().get(0);
    // A newer snapshot that claims more than the WAL holds: recovery must skip it.
    SnapshotPort.SnapshotWriter w = f.snapshots.begin(SnapshotKind.STATE, 1_000, 0);
    f.snapshots.items(real.id()).forEach(w::write);
    w.commit();
    SnapshotInfo bogus = f.snapshots.list().get(0);
    List<JsonNode> live = f.dump();
    CountDownLatch release = new CountDownLatch(1);
    Counting slow = new Counting(f.snapshots, bogus.id(), release);

    Thread opener = new Thread(() -> reopen(slow));
    opener.start();
    // The preload is stuck in the bogus snapshot's second item; recovery goes on without it and
    // then waits only for that item, not for the rest of the snapshot.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!waitsInFinish(opener) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(slow.gatedItems.get()).isEqualTo(2);
    release.countDown();
    opener.join(10_000);

    assertThat(opener.isAlive()).isFalse();
    assertThat(slow.gatedItems.get()).isEqualTo(2);
    assertThat(f.snapshots.items(bogus.id()).size()).isGreaterThan(3);
    assertThat(f.dump()).isEqualTo(live);
    assertThat(f.engine.recovery().snapshotId()).isEqualTo(real.id());
    assertThat(f.engine.recovery().rejectedSnapshots())
        .singleElement()
        .asString()
        .contains("but the WAL ends at");
    assertThat(preloadThreadAlive()).isFalse();
  }

  @Test
  void withoutStateSnapshotsNothingIsPreloadedAndEveryCallReachesTheStore() {
    Counting counting = new Counting(f.snapshots);
    PreloadingSnapshots preloading = PreloadingSnapshots.start(counting);
    assertThat(preloadThreadAlive()).isFalse();
    SnapshotPort.SnapshotWriter w = preloading.begin(SnapshotKind.INSTANCE, 0, 0);
    w.write(Fixture.json("{\"kind\":\"instance\"}"));
    SnapshotInfo info = w.commit();
    assertThat(preloading.list()).containsExactly(info);
    try (SnapshotPort.SnapshotReader r = preloading.open(info.id())) {
      assertThat(r.next()).isEqualTo(Fixture.json("{\"kind\":\"instance\"}"));
    }
    assertThat(counting.opens.get()).isEqualTo(1);
    preloading.delete(info.id());
    assertThat(f.snapshots.list()).isEmpty();
    preloading.close();
    assertThat(counting.closed.get()).isEqualTo(1);
  }

  /** Counts opens and closes; reading the gated snapshot's second item waits for the latch. */
  private static final class Counting implements SnapshotPort {
    private final SnapshotPort store;
    private final String gatedId;
    private final CountDownLatch gate;
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger gatedItems = new AtomicInteger();

    Counting(SnapshotPort store) {
      this(store, null, new CountDownLatch(0));
    }

    Counting(SnapshotPort store, String gatedId, CountDownLatch gate) {
      this.store = store;
      this.gatedId = gatedId;
      this.gate = gate;
    }

    @Override
    public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
      return store.begin(kind, walOffset, createdAt);
    }

    @Override
    public List<SnapshotInfo> list() {
      return store.list();
    }

    @Override
    public SnapshotReader open(String snapshotId) {
      opens.incrementAndGet();
      SnapshotReader reader = store.open(snapshotId);
      return new SnapshotReader() {
        @Override
        public SnapshotInfo info() {
          return reader.info();
        }

        @Override
        public JsonNode next() {
          if (snapshotId.equals(gatedId) && gatedItems.incrementAndGet() == 2) {
            try {
              gate.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
          return reader.next();
        }

        @Override
        public void close() {
          reader.close();
        }
      };
    }

    @Override
    public void delete(String snapshotId) {
      store.delete(snapshotId);
    }

    @Override
    public void close() {
      closed.incrementAndGet();
      store.close();
    }
  }
}
