package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.entry.DeleteInstanceEntry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.entry.PutMachineEntry;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineRecoveryTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private void history() {
    f.putOrder();
    f.create("a");
    f.clock.advance(7);
    await(
        f.engine.applyEvent(
            new ApplyEvent("a", "PAY", Fixture.json("{\"amount\":3}"), null, null, "e-1", "k1")));
    f.create("b");
    await(f.engine.deleteInstance(new DeleteInstance("b", "dk")));
    await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck")));
    f.clock.advance(3);
    await(f.engine.applyEvent(new ApplyEvent("a", "TOUCH", null, null, null, null, null)));
  }

  @Test
  void fullReplayRebuildsExactlyTheLiveState() {
    history();
    List<?> live = f.dump();
    assertThat(live.toString())
        .contains("\"deleted\":true")
        .contains("\"scope\":\"apply\"")
        .contains("\"scope\":\"create\"")
        .contains("\"scope\":\"delete\"");
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
    assertThat(f.engine.recovery())
        .isEqualTo(new RecoveryReport(null, 0, f.walRecords().size(), List.of()));
    // Recovering twice from the same log gives the same state again.
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
  }

  @Test
  void lastEventIdIsClearedOnReplayAsItIsLive() {
    history();
    assertThat(await(f.engine.getInstance("a")).lastEventId()).isNull();
    f.restart();
    assertThat(await(f.engine.getInstance("a")).lastEventId()).isNull();
  }

  @Test
  void recoversFromSnapshotPlusTailAfterTheWalWasTrimmed() {
    history();
    await(f.engine.compact(true));
    f.create("c");
    await(f.engine.applyEvent(new ApplyEvent("c", "PAY", null, null, null, null, null)));
    assertThat(f.wal.oldestOffset()).isPositive();
    List<?> live = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
    RecoveryReport report = f.engine.recovery();
    assertThat(report.snapshotId()).isEqualTo(f.snapshots.list().get(0).id());
    assertThat(report.fromOffset()).isEqualTo(f.snapshots.list().get(0).walOffset());
    assertThat(report.replayedRecords()).isEqualTo(2);
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
  }

  @Test
  void damagedNewestSnapshotFallsBackToThePreviousOne() {
    history(); // offsets 0..6
    f.create("c"); // 7
    f.create("d"); // 8
    await(f.engine.compact(true)); // snapshot at 9; units 0..3 and 4..7 go
    f.create("e"); // 9
    await(f.engine.compact(false)); // snapshot at 10, same unit: nothing more goes
    assertThat(f.wal.oldestOffset()).isEqualTo(8);
    f.create("f"); // 10
    List<SnapshotInfo> states = f.snapshots.list();
    assertThat(states).hasSize(2);
    f.snapshots.damage(states.get(0).id());
    // The previous snapshot (at 9) is still continued by the WAL (oldest 8), so it works.
    List<?> live = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
    assertThat(f.engine.recovery().snapshotId()).isEqualTo(states.get(1).id());
    assertThat(f.engine.recovery().rejectedSnapshots())
        .singleElement()
        .asString()
        .contains(states.get(0).id(), "checksum mismatch");
  }

  @Test
  void anUnreplayableRecordStopsRecoveryWithAnInternalError() {
    f.engine.close();
    f.wal.append(
        List.of(
            EntryCodec.encode(
                new PutMachineEntry(1, "m", 1, "x", Fixture.json("{\"states\":[]}")))));
    assertThatThrownBy(f::open)
        .isInstanceOf(RstmdbException.class)
        .hasMessageStartingWith("cannot recover: WAL record 0: invalid machine definition")
        .extracting(e -> ((RstmdbException) e).code())
        .isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThatThrownBy(
            () -> {
              f.wal.crash();
              InMemoryWal other = new InMemoryWal();
              other.append(List.of(EntryCodec.encode(new DeleteInstanceEntry(1, "ghost", null))));
              Engine.open(f.config, other, new InMemorySnapshots(), f.clock, n -> {});
            })
        .hasMessageContaining("unknown instance 'ghost'");
  }

  @Test
  void refusesToStartWhenNoUsableSnapshotCoversTheTrimmedWal() {
    history();
    await(f.engine.compact(true));
    f.create("c");
    await(f.engine.compact(false));
    f.engine.close();
    for (SnapshotInfo s : f.snapshots.list()) {
      f.snapshots.damage(s.id());
    }
    assertThatThrownBy(f::open)
        .isInstanceOf(RstmdbException.class)
        .hasMessageContaining("cannot recover")
        .hasMessageContaining(f.snapshots.list().get(0).id())
        .hasMessageContaining(f.snapshots.list().get(1).id())
        .hasMessageContaining("checksum mismatch")
        .extracting(e -> ((RstmdbException) e).code())
        .isEqualTo(ErrorCode.INTERNAL_ERROR);
  }

  @Test
  void snapshotOlderThanTheWalIsNotUsed() {
    history(); // 0..6
    await(f.engine.compact(true)); // snapshot at 7
    for (String id : List.of("c", "d", "e", "f")) {
      f.create(id); // 7..10
    }
    f.engine.close();
    // History the snapshot does not cover is gone (as if trimmed by someone else).
    f.wal.deleteBefore(11);
    assertThat(f.wal.oldestOffset()).isEqualTo(8);
    assertThatThrownBy(f::open)
        .hasMessageContaining("covers offsets below 7 but the WAL starts at 8");
  }

  @Test
  void refusesToStartWhenASnapshotCoversMoreThanTheWalHolds() {
    history();
    await(f.engine.compact(true));
    f.engine.close();
    try (Fixture other = new Fixture()) {
      // An empty WAL next to a snapshot of 7 records: the WAL lost what was acknowledged (its
      // directory removed, or an older copy put back). Starting empty would lose them and hand
      // their offsets out again.
      var w = other.snapshots.begin(SnapshotKind.STATE, 7, 0);
      f.snapshots.items(f.snapshots.list().get(0).id()).forEach(w::write);
      w.commit();
      other.engine.close();
      assertThatThrownBy(other::open)
          .isInstanceOf(RstmdbException.class)
          .hasMessageContaining("cannot recover")
          .hasMessageContaining("covers WAL offsets below 7 but the WAL ends at 0")
          .hasMessageContaining("acknowledged records are missing");
    }
    f.engine = f.open();
  }

  @Test
  void instanceSnapshotsAreIgnoredByRecovery() {
    history();
    await(f.engine.snapshotInstance("a"));
    List<?> live = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(live);
  }
}
