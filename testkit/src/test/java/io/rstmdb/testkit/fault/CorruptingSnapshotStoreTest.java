package io.rstmdb.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import io.rstmdb.snapshot.FileSnapshotStore;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptingSnapshotStoreTest {
  @TempDir Path dir;
  private CorruptingSnapshotStore store;
  private SnapshotInfo info;

  @BeforeEach
  void setUp() {
    store = CorruptingSnapshotStore.wrap(FileSnapshotStore.open(dir, Failpoints.NONE));
    try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 3, 4)) {
      for (int i = 0; i < 20; i++) {
        w.write(JsonNodeFactory.instance.objectNode().put("i", i));
      }
      info = w.commit();
    }
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private void assertDetected(Consumer<String> damage, String why) {
    store.open(info.id()).close(); // intact before
    damage.accept(info.id());
    assertThatThrownBy(() -> store.open(info.id()))
        .isInstanceOfSatisfying(
            RstmdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
              assertThat(e.getMessage())
                  .contains(info.id(), store.fileOf(info.id()).toString(), why);
            });
  }

  @Test
  void fileOfIsWhereTheStoreKeepsTheSnapshot() {
    assertThat(store.fileOf(info.id())).exists().hasFileName(info.id() + ".snap");
  }

  @Test
  void flippedByteIsDetected() {
    assertDetected(id -> store.flipByte(id, 40), "SHA-256");
  }

  @Test
  void flippedMiddleByteIsDetected() {
    assertDetected(store::flipMiddleByte, "SHA-256");
  }

  @Test
  void truncationIsDetected() {
    assertDetected(id -> store.truncate(id, info.sizeBytes() - 1), "size is");
  }

  @Test
  void deletedFileIsDetectedWhileStillListed() {
    assertDetected(store::deleteFile, "missing");
    assertThat(store.list()).containsExactly(info);
  }
}
