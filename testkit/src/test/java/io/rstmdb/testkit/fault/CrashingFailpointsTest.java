package io.rstmdb.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import io.rstmdb.snapshot.FileSnapshotStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashingFailpointsTest {
  @TempDir Path dir;

  @Test
  void crashesOnceAtTheArmedPointAndRecordsThePath() {
    CrashingFailpoints fp = CrashingFailpoints.at("b");
    fp.hit("a");
    assertThat(fp.fired()).isFalse();
    assertThatThrownBy(() -> fp.hit("b"))
        .isInstanceOf(CrashingFailpoints.SimulatedCrash.class)
        .hasMessageContaining("b");
    fp.hit("b"); // only once
    fp.hit("c");
    assertThat(fp.fired()).isTrue();
    assertThat(fp.reached()).containsExactly("a", "b", "b", "c");
  }

  @Test
  void drivesACrashTestOfTheFileSnapshotStore() {
    CrashingFailpoints crash = CrashingFailpoints.at("snapshot.after_rename");
    FileSnapshotStore store = FileSnapshotStore.open(dir, crash);
    assertThatThrownBy(
            () -> {
              SnapshotWriter w = store.begin(SnapshotKind.STATE, 1, 1);
              w.write(JsonNodeFactory.instance.objectNode().put("x", 1));
              w.commit();
            })
        .isInstanceOf(CrashingFailpoints.SimulatedCrash.class);
    assertThat(crash.reached())
        .containsExactly(
            "snapshot.before_temp_write", "snapshot.after_temp_write", "snapshot.after_rename");

    try (FileSnapshotStore reopened = FileSnapshotStore.open(dir, Failpoints.NONE)) {
      assertThat(reopened.list()).isEmpty();
    }
  }
}
