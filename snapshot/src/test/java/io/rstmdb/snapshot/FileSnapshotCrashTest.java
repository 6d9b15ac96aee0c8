package io.rstmdb.snapshot;

import static io.rstmdb.snapshot.Items.commit;
import static io.rstmdb.snapshot.Items.numbered;
import static io.rstmdb.snapshot.Items.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A crash at any failpoint leaves, after reopening, exactly the old state or exactly the new one:
 * never a listed snapshot that cannot be opened. A file the manifest does not list is removed only
 * when its newest snapshot supersedes it: one newer might be all that is left of data whose WAL is
 * gone (a manifest restored from a backup), so it stays until a newer snapshot is committed.
 */
class FileSnapshotCrashTest {
  @TempDir Path dir;

  private Path snapshots() {
    return dir.resolve("snapshots");
  }

  @ParameterizedTest(name = "crash at {0} during commit")
  @ValueSource(
      strings = {
        "snapshot.before_temp_write",
        "snapshot.after_temp_write",
        "snapshot.after_rename",
        "snapshot.after_index_update"
      })
  void commitIsAllOrNothing(String point) throws Exception {
    SnapshotInfo old;
    try (FileSnapshotStore clean = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      old = commit(clean, 1, numbered(3));
    }

    FileSnapshotStore crashing = FileSnapshotStore.open(snapshots(), new CrashAt(point));
    assertThatThrownBy(
            () -> {
              // Not closed on purpose: a dead process runs no cleanup.
              SnapshotWriter w = crashing.begin(SnapshotKind.STATE, 2, 2);
              numbered(1000).forEach(w::write);
              w.commit();
            })
        .isInstanceOf(CrashAt.SimulatedCrash.class);

    try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      List<SnapshotInfo> listed = reopened.list();
      if (point.equals("snapshot.after_index_update")) {
        assertThat(listed).hasSize(2);
        assertThat(listed.get(1)).isEqualTo(old);
        assertThat(readAll(reopened, listed.get(0).id())).isEqualTo(numbered(1000));
      } else {
        assertThat(listed).containsExactly(old);
      }
      assertThat(readAll(reopened, old.id())).isEqualTo(numbered(3));
      if (point.equals("snapshot.after_rename")) {
        // Renamed but never committed: kept while nothing newer is, then removed.
        assertThat(fileNames()).containsAll(expectedFiles(listed)).hasSize(listed.size() + 2);
        commit(reopened, 3, numbered(1));
      } else {
        assertThat(fileNames()).isEqualTo(expectedFiles(listed));
      }
    }
    try (FileSnapshotStore again = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(fileNames()).isEqualTo(expectedFiles(again.list()));
    }
  }

  @Test
  void aManifestRestoredFromAnOlderBackupDeletesNoNewerSnapshot() throws Exception {
    Path backup = dir.resolve("manifest.backup");
    Path manifest = snapshots().resolve("snapshots.manifest");
    List<SnapshotInfo> current;
    try (FileSnapshotStore store = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      commit(store, 1, numbered(1));
      Files.copy(manifest, backup);
      SnapshotInfo second = commit(store, 2, numbered(2));
      SnapshotInfo third = commit(store, 3, numbered(3));
      current = store.list();
      assertThat(current).contains(second, third);
    }
    Path currentManifest = dir.resolve("manifest.current");
    Files.copy(manifest, currentManifest);
    Files.copy(backup, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    try (FileSnapshotStore old = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(old.list()).hasSize(1);
      assertThat(fileNames()).isEqualTo(expectedFiles(current)); // nothing deleted
    }
    Files.copy(currentManifest, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (FileSnapshotStore back = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(back.list()).isEqualTo(current);
      assertThat(readAll(back, current.get(0).id())).isEqualTo(numbered(3));
    }
  }

  @Test
  void abandonedPartialTempFileIsRemovedOnReopen() throws Exception {
    FileSnapshotStore crashing = FileSnapshotStore.open(snapshots(), Failpoints.NONE);
    SnapshotWriter w = crashing.begin(SnapshotKind.STATE, 2, 2);
    numbered(20_000).forEach(w::write); // more than the buffer: bytes reach the temp file
    assertThat(fileNames()).anyMatch(n -> n.endsWith(".snap.tmp"));

    try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(reopened.list()).isEmpty();
      assertThat(fileNames()).containsExactly("snapshots.manifest");
    }
  }

  @Test
  void crashInDeleteAfterUnlistingLeavesTheDeletionDone() throws Exception {
    SnapshotInfo keep;
    SnapshotInfo gone;
    try (FileSnapshotStore clean = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      gone = commit(clean, 1, numbered(1)); // compaction drops the older snapshots
      keep = commit(clean, 2, numbered(2));
    }
    FileSnapshotStore crashing =
        FileSnapshotStore.open(snapshots(), new CrashAt("snapshot.after_index_update"));
    assertThatThrownBy(() -> crashing.delete(gone.id())).isInstanceOf(CrashAt.SimulatedCrash.class);
    assertThat(crashing.pathOf(gone.id())).exists();

    try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(reopened.list()).containsExactly(keep);
      assertThat(fileNames()).isEqualTo(expectedFiles(List.of(keep)));
    }
  }

  @Test
  void crashWhileWritingTheManifestKeepsTheOldManifest() throws Exception {
    SnapshotInfo old;
    try (FileSnapshotStore clean = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      old = commit(clean, 1, numbered(1));
    }
    // What a crash between writing and renaming the manifest temp file leaves behind.
    Files.writeString(snapshots().resolve("snapshots.manifest.tmp"), "RSTMDB-SNAPSHOT-MANIF");

    try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(reopened.list()).containsExactly(old);
      assertThat(fileNames()).isEqualTo(expectedFiles(List.of(old)));
    }
  }

  @Test
  void failedManifestWriteMakesTheStoreFailStopUntilReopened() throws Exception {
    FileSnapshotStore store = FileSnapshotStore.open(snapshots(), Failpoints.NONE);
    SnapshotInfo old = commit(store, 1, numbered(1));
    // A directory where the manifest temp file must go makes its creation fail with an I/O error.
    Path blocker = snapshots().resolve("snapshots.manifest.tmp");
    Files.createDirectory(blocker);

    assertThatThrownBy(() -> commit(store, 2, numbered(1)))
        .isInstanceOfSatisfying(
            RstmdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
              assertThat(e.getMessage()).contains("stopped", "reopen the store");
            });
    assertThatThrownBy(() -> store.begin(SnapshotKind.STATE, 3, 3))
        .isInstanceOf(RstmdbException.class)
        .hasMessageContaining("stopped");
    assertThatThrownBy(() -> store.delete(old.id())).isInstanceOf(RstmdbException.class);
    assertThat(store.list()).containsExactly(old);
    assertThat(readAll(store, old.id())).isEqualTo(numbered(1)); // reads keep working
    store.close();

    Files.delete(blocker);
    try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(reopened.list()).containsExactly(old);
      // The failed commit's renamed file stays (newer than every listed one) until superseded.
      assertThat(fileNames()).containsAll(expectedFiles(List.of(old))).hasSize(3);
      SnapshotInfo fresh = commit(reopened, 4, numbered(2));
      assertThat(reopened.list()).containsExactly(fresh, old);
    }
  }

  @Test
  void creatingTheDirectoryCreatesParentsAndAnEmptyManifest() throws Exception {
    Path deep = dir.resolve("a/b/snapshots");
    try (FileSnapshotStore store = FileSnapshotStore.open(deep, Failpoints.NONE)) {
      assertThat(store.list()).isEmpty();
      assertThat(deep.resolve("snapshots.manifest")).isRegularFile();
    }
  }

  @Test
  void unrelatedFilesAreLeftAlone() throws Exception {
    try (FileSnapshotStore clean = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      commit(clean, 1, List.of());
    }
    Files.writeString(snapshots().resolve("README.txt"), "operator notes");
    Files.writeString(snapshots().resolve("snap-not-a-uuid.snap"), "?");
    try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
      assertThat(fileNames()).contains("README.txt", "snap-not-a-uuid.snap");
    }
  }

  private Set<String> fileNames() throws Exception {
    try (Stream<Path> files = Files.list(snapshots())) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static Set<String> expectedFiles(List<SnapshotInfo> listed) {
    Set<String> names = listed.stream().map(i -> i.id() + ".snap").collect(Collectors.toSet());
    names.add("snapshots.manifest");
    return names;
  }
}
