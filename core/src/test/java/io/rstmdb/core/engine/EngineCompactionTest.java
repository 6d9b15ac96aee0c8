package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.CompactResult;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.SnapshotInstanceResult;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineCompactionTest {
  private Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private void threeInstances() {
    f.putOrder();
    f.create("a");
    f.create("b");
    f.create("c");
  }

  @Test
  void firstCompactionSnapshotsEverythingAndTrimsTheWal() {
    threeInstances(); // offsets 0..3
    f.apply("a", "PAY", null); // 4
    CompactResult result = await(f.engine.compact(false));
    assertThat(result.snapshotsCreated()).isEqualTo(3);
    assertThat(result.totalSnapshots()).isEqualTo(3);
    // Units of four records: 0..3 lie wholly below the snapshot offset 5.
    assertThat(result.segmentsDeleted()).isEqualTo(1);
    assertThat(result.bytesReclaimed()).isPositive();
    assertThat(result.walSegments()).isEqualTo(f.wal.stats().segmentCount()).isEqualTo(1);
    assertThat(f.wal.oldestOffset()).isEqualTo(4);

    SnapshotInfo info = f.snapshots.list().get(0);
    assertThat(info.kind()).isEqualTo(SnapshotKind.STATE);
    assertThat(info.walOffset()).isEqualTo(5);
    assertThat(f.failpointsHit)
        .containsExactly(
            "compact.before_snapshot", "compact.after_snapshot", "compact.before_wal_delete");
  }

  @Test
  void snapshotHoldsHeaderMachinesInstancesAndLiveKeys() {
    threeInstances();
    await(f.engine.deleteInstance(new DeleteInstance("c", null)));
    await(f.engine.applyEvent(new ApplyEvent("a", "PAY", null, null, null, "e", "k-old")));
    f.clock.advance(EngineConfig.DEFAULT_RETENTION_MILLIS);
    await(f.engine.applyEvent(new ApplyEvent("a", "TOUCH", null, null, null, null, "k-new")));
    await(f.engine.compact(false));
    List<JsonNode> items = f.snapshots.items(f.snapshots.list().get(0).id());
    JsonNode header = items.get(0);
    assertThat(header.get("kind").asText()).isEqualTo("header");
    assertThat(header.get("wal_offset").asLong()).isEqualTo(7);
    assertThat(header.get("machines").asLong()).isEqualTo(1);
    assertThat(header.get("instances").asLong()).isEqualTo(3);
    assertThat(header.get("idempotency_keys").asLong()).isEqualTo(1);
    assertThat(items)
        .extracting(i -> i.get("kind").asText())
        .containsExactly("header", "machine", "instance", "instance", "instance", "idempotency");
    assertThat(items.get(4).get("deleted").asBoolean()).isTrue();
    assertThat(items.get(5).get("key").asText()).isEqualTo("k-new");
  }

  @Test
  void withoutNewWritesNoSnapshotIsWritten() {
    threeInstances();
    await(f.engine.compact(false));
    int before = f.snapshots.list().size();
    CompactResult again = await(f.engine.compact(false));
    assertThat(again.snapshotsCreated()).isZero();
    assertThat(again.totalSnapshots()).isEqualTo(3);
    assertThat(f.snapshots.list()).hasSize(before);
  }

  @Test
  void aDamagedNewestSnapshotIsReplacedBeforeTheWalIsTrimmedBehindIt() {
    threeInstances();
    await(f.engine.compact(false));
    SnapshotInfo damaged = f.snapshots.list().get(0);
    f.snapshots.damage(damaged.id());
    CompactResult again = await(f.engine.compact(false));
    assertThat(again.snapshotsCreated()).isEqualTo(3);
    assertThat(again.totalSnapshots()).isEqualTo(3);
    SnapshotInfo fresh = f.snapshots.list().get(0);
    assertThat(fresh.id()).isNotEqualTo(damaged.id());
    assertThat(fresh.walOffset()).isEqualTo(damaged.walOffset());
    List<JsonNode> live = f.dump();
    f.restart();
    assertThat(f.engine.recovery().snapshotId()).isEqualTo(fresh.id());
    assertThat(f.dump()).isEqualTo(live);
  }

  @Test
  void onlyChangedInstancesCountUnlessForced() {
    threeInstances();
    await(f.engine.compact(false));
    f.apply("b", "PAY", null);
    CompactResult changed = await(f.engine.compact(false));
    assertThat(changed.snapshotsCreated()).isEqualTo(1);
    CompactResult forced = await(f.engine.compact(true));
    assertThat(forced.snapshotsCreated()).isEqualTo(3);
    assertThat(forced.totalSnapshots()).isEqualTo(3);
  }

  @Test
  void keepsTheTwoNewestStateSnapshots() {
    threeInstances();
    await(f.engine.compact(false));
    String first = f.snapshots.list().get(0).id();
    f.apply("a", "PAY", null);
    await(f.engine.compact(false));
    f.apply("b", "PAY", null);
    await(f.engine.compact(false));
    assertThat(f.snapshots.list()).hasSize(2);
    assertThat(f.snapshots.deleted).containsExactly(first);
  }

  @Test
  void crashBeforeTheWalDeleteLosesNothing() {
    f.close();
    List<String> hits = new ArrayList<>();
    InMemoryWal wal = new InMemoryWal();
    InMemorySnapshots snapshots = new InMemorySnapshots();
    EngineConfig config =
        EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled());
    ManualClock clock = new ManualClock(0);
    Engine crashing =
        Engine.open(
            config,
            wal,
            snapshots,
            clock,
            name -> {
              hits.add(name);
              if (name.equals("compact.before_wal_delete")) {
                throw new IllegalStateException("crash");
              }
            });
    f = new Fixture(config, wal, snapshots);
    f.engine.close();
    f.engine = crashing;
    threeInstances();
    failure(crashing.compact(false), ErrorCode.INTERNAL_ERROR);
    assertThat(wal.oldestOffset()).isZero();
    List<JsonNode> live = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
    // The next compaction finishes the job.
    CompactResult next = await(f.engine.compact(false));
    assertThat(next.snapshotsCreated()).isZero();
    assertThat(next.segmentsDeleted()).isEqualTo(1);
  }

  @Test
  void aSlowSnapshotWriteDoesNotStallWriters() throws Exception {
    f.close();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    f =
        new Fixture(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            new InMemoryWal(),
            new InMemorySnapshots() {
              @Override
              public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
                writing.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return super.begin(kind, walOffset, createdAt);
              }
            });
    threeInstances();
    var compaction = f.engine.compact(true);
    assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
    // While the snapshot is being written, writes and reads go on.
    f.apply("a", "PAY", null);
    f.create("d");
    assertThat(await(f.engine.getInstance("a")).state()).isEqualTo("paid");
    assertThat(compaction).isNotDone();
    release.countDown();
    CompactResult result = await(compaction);
    // The snapshot holds the state as captured, before those writes.
    assertThat(result.totalSnapshots()).isEqualTo(3);
    assertThat(f.snapshots.list().get(0).walOffset()).isEqualTo(4);
    List<JsonNode> live = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
  }

  @Test
  void compactingAnEmptyDatabase() {
    CompactResult result = await(f.engine.compact(false));
    assertThat(result.snapshotsCreated()).isZero();
    assertThat(result.totalSnapshots()).isZero();
    assertThat(result.segmentsDeleted()).isZero();
    assertThat(f.snapshots.list()).hasSize(1);
  }

  @Test
  void snapshotInstanceWritesOneInstanceItem() {
    threeInstances();
    f.apply("b", "PAY", "{\"x\":1}");
    SnapshotInstanceResult result = await(f.engine.snapshotInstance("b"));
    SnapshotInfo info = f.snapshots.list().get(0);
    assertThat(result)
        .isEqualTo(
            new SnapshotInstanceResult("b", info.id(), 4, info.sizeBytes(), info.checksum()));
    assertThat(result.snapshotId()).startsWith("snap-");
    assertThat(info.kind()).isEqualTo(SnapshotKind.INSTANCE);
    assertThat(info.walOffset()).isEqualTo(5); // covers the offsets below; the image includes 4
    List<JsonNode> items = f.snapshots.items(info.id());
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("state").asText()).isEqualTo("paid");
    assertThat(items.get(0).get("ctx")).isEqualTo(Fixture.json("{\"x\":1}"));
    failure(f.engine.snapshotInstance("nope"), ErrorCode.INSTANCE_NOT_FOUND);
    // Instance snapshots are not STATE snapshots: compaction still writes its own.
    assertThat(await(f.engine.compact(false)).snapshotsCreated()).isEqualTo(3);
  }

  @Test
  void automaticCompactionRunsAfterTheEventThreshold() throws Exception {
    f.close();
    f =
        new Fixture(
            EngineConfig.defaults().withCompaction(new EngineConfig.Compaction(true, 5, 0, 1_000)));
    threeInstances();
    Thread.sleep(100);
    assertThat(stateSnapshots()).isZero(); // 4 entries < 5
    f.create("d");
    Thread.sleep(100);
    assertThat(stateSnapshots()).isZero(); // threshold reached, but the interval has not passed
    f.clock.advance(1_000);
    waitFor(() -> stateSnapshots() == 1);
    // The counter restarted: no second run without new writes.
    f.clock.advance(5_000);
    Thread.sleep(100);
    assertThat(stateSnapshots()).isEqualTo(1);
  }

  @Test
  void automaticCompactionRunsAfterTheSizeThreshold() throws Exception {
    f.close();
    f =
        new Fixture(
            EngineConfig.defaults().withCompaction(new EngineConfig.Compaction(true, 0, 300, 0)));
    threeInstances();
    waitFor(() -> stateSnapshots() >= 1);
  }

  private long stateSnapshots() {
    return f.snapshots.list().stream().filter(s -> s.kind() == SnapshotKind.STATE).count();
  }

  private static void waitFor(BooleanSupplier condition) throws Exception {
    for (int i = 0; i < 400 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
