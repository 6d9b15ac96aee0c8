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
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damage to a snapshot or the manifest is reported, naming what is damaged. */
class FileSnapshotDamageTest {
  @TempDir Path dir;
  private FileSnapshotStore store;
  private SnapshotInfo victim;
  private SnapshotInfo bystander;

  @BeforeEach
  void setUp() {
    store = FileSnapshotStore.open(snapshots(), Failpoints.NONE);
    bystander = commit(store, 1, numbered(2));
    victim = commit(store, 2, numbered(2));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Path snapshots() {
    return dir.resolve("snapshots");
  }

  private void assertDamaged(ThrowingCallable call, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RstmdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
              assertThat(e.getMessage()).contains(fragments);
            });
  }

  private void assertVictimDamaged(String why) {
    assertDamaged(
        () -> store.open(victim.id()),
        "snapshot " + victim.id() + " (" + store.pathOf(victim.id()) + ") is damaged: ",
        why);
    assertThat(readAll(store, bystander.id())).isEqualTo(numbered(2));
  }

  @Nested
  @DisplayName("snapshot files")
  class SnapshotFiles {
    @Test
    void bitFlipsAtEveryByteAreDetected() throws Exception {
      Path file = store.pathOf(victim.id());
      byte[] original = Files.readAllBytes(file);
      for (int pos = 0; pos < original.length; pos++) {
        for (int bit : new int[] {0, 3, 7}) {
          byte[] bad = original.clone();
          bad[pos] ^= (byte) (1 << bit);
          Files.write(file, bad);
          int at = pos;
          assertThatThrownBy(() -> store.open(victim.id()))
              .as("flip of bit %d at byte %d", bit, at)
              .isInstanceOfSatisfying(
                  RstmdbException.class,
                  e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).contains(victim.id(), "is damaged");
                  });
        }
      }
      Files.write(file, original);
      assertThat(readAll(store, victim.id())).isEqualTo(numbered(2));
    }

    @Test
    void everyTruncationIsDetected() throws Exception {
      Path file = store.pathOf(victim.id());
      byte[] original = Files.readAllBytes(file);
      for (int len = 0; len < original.length; len++) {
        Files.write(file, Arrays.copyOf(original, len));
        assertVictimDamaged("size is " + len + " bytes, the manifest says " + original.length);
      }
    }

    @Test
    void appendedBytesAreDetected() throws Exception {
      Path file = store.pathOf(victim.id());
      Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
      assertVictimDamaged("size is " + (victim.sizeBytes() + 1) + " bytes");
    }

    @Test
    void missingFileIsDetected() throws Exception {
      Files.delete(store.pathOf(victim.id()));
      assertVictimDamaged("the file is missing");
      assertThat(store.list()).contains(victim);
    }

    @Test
    void damagedHeaderSaysWhy() throws Exception {
      Path file = store.pathOf(victim.id());
      byte[] bytes = Files.readAllBytes(file);
      bytes[0] = 'X';
      Files.write(file, bytes);
      assertVictimDamaged("bad magic");
      bytes[0] = 'R';
      bytes[9] = 2;
      Files.write(file, bytes);
      assertVictimDamaged("unsupported format version 2");
    }

    @Test
    void aSelfConsistentFileOfAnotherSnapshotIsRejected() throws Exception {
      // Same length and a valid footer, but not the bytes the manifest recorded.
      SnapshotInfo twin;
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 3, 1_000L)) {
        numbered(2).forEach(w::write);
        twin = w.commit();
      }
      assertThat(twin.sizeBytes()).isEqualTo(victim.sizeBytes());
      Files.copy(
          store.pathOf(twin.id()),
          store.pathOf(victim.id()),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertVictimDamaged("SHA-256 is " + twin.checksum());
    }

    @Test
    void headerFieldsAreCheckedAgainstTheManifest() throws Exception {
      // A hand-edited manifest (with a valid checksum) must not lie about what a file covers.
      store.close();
      Path manifest = snapshots().resolve("snapshots.manifest");
      List<String> lines = Files.readAllLines(manifest);
      String body =
          lines.get(0) + "\n" + lines.get(1).replace("\"wal_offset\":2", "\"wal_offset\":7") + "\n";
      String sha =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      Files.writeString(manifest, body + "sha256 " + sha + "\n");
      store = FileSnapshotStore.open(snapshots(), Failpoints.NONE);
      assertThat(store.list().get(0).walOffset()).isEqualTo(7);
      assertDamaged(
          () -> store.open(victim.id()),
          victim.id(),
          "wal_offset 2",
          "disagrees with the manifest");
    }
  }

  @Nested
  @DisplayName("manifest")
  class ManifestDamage {
    private Path manifest() {
      return snapshots().resolve("snapshots.manifest");
    }

    private void assertStoreRefusesToOpen(String why) {
      assertDamaged(
          () -> FileSnapshotStore.open(snapshots(), Failpoints.NONE),
          "snapshot manifest " + manifest().toAbsolutePath() + " is damaged: ",
          why);
    }

    @Test
    void everySingleByteChangeIsDetected() throws Exception {
      store.close();
      byte[] original = Files.readAllBytes(manifest());
      for (int pos = 0; pos < original.length; pos++) {
        byte[] bad = original.clone();
        bad[pos] ^= 0x04;
        Files.write(manifest(), bad);
        assertStoreRefusesToOpen("");
      }
      Files.write(manifest(), original);
      try (FileSnapshotStore reopened = FileSnapshotStore.open(snapshots(), Failpoints.NONE)) {
        assertThat(reopened.list()).containsExactly(victim, bystander);
      }
    }

    @Test
    void truncationIsDetected() throws Exception {
      store.close();
      byte[] original = Files.readAllBytes(manifest());
      for (int len : List.of(0, 10, 40, original.length - 1)) {
        Files.write(manifest(), Arrays.copyOf(original, len));
        assertStoreRefusesToOpen("");
      }
    }

    @Test
    void checksumMismatchIsNamed() throws Exception {
      store.close();
      String text = Files.readString(manifest());
      Files.writeString(manifest(), text.replace("\"wal_offset\":2", "\"wal_offset\":3"));
      assertStoreRefusesToOpen("checksum mismatch");
    }

    @Test
    void newerVersionIsNamed() throws Exception {
      store.close();
      String text = Files.readString(manifest());
      Files.writeString(manifest(), text.replace("MANIFEST 1", "MANIFEST 2"));
      assertStoreRefusesToOpen("unsupported manifest version '2'");
    }

    @Test
    void missingManifestWithSnapshotFilesRefusesToGuess() throws Exception {
      store.close();
      Files.delete(manifest());
      assertStoreRefusesToOpen("it is missing, yet 2 snapshot files exist");
      // Nothing was deleted while refusing.
      assertThat(store.pathOf(victim.id())).exists();
      assertThat(store.pathOf(bystander.id())).exists();
    }
  }
}
