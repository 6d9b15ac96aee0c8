package io.rstmdb.snapshot;

import static io.rstmdb.snapshot.Items.commit;
import static io.rstmdb.snapshot.Items.json;
import static io.rstmdb.snapshot.Items.numbered;
import static io.rstmdb.snapshot.Items.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotReader;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreTest {
  @TempDir Path dir;
  private FileSnapshotStore store;

  @BeforeEach
  void open() {
    store = FileSnapshotStore.open(dir.resolve("snapshots"), Failpoints.NONE);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private FileSnapshotStore reopen() {
    store.close();
    store = FileSnapshotStore.open(dir.resolve("snapshots"), Failpoints.NONE);
    return store;
  }

  @Nested
  @DisplayName("round trips")
  class RoundTrips {
    @Test
    void itemsComeBackIdenticalAndInOrder() {
      List<JsonNode> items =
          List.of(
              json("{\"machine\":\"order\",\"version\":1,\"ctx\":{\"a\":[1,2.5,null,true]}}"),
              json("\"just a string with ünïcödé and \\u0000\""),
              json("[]"),
              json("12345678901234567890123"),
              json("null"),
              json("{}"));
      SnapshotInfo info = commit(store, 42, items);

      assertThat(readAll(store, info.id())).containsExactlyElementsOf(items);
      assertThat(readAll(reopen(), info.id())).containsExactlyElementsOf(items);
    }

    @Test
    void emptySnapshotIsValid() {
      SnapshotInfo info = commit(store, 0, List.of());
      assertThat(info.itemCount()).isZero();
      assertThat(readAll(store, info.id())).isEmpty();
    }

    @Test
    void infoDescribesTheFileExactly() throws Exception {
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.INSTANCE, 77, 1_767_225_600_000L)) {
        numbered(3).forEach(w::write);
        info = w.commit();
      }
      Path file = store.pathOf(info.id());
      byte[] bytes = Files.readAllBytes(file);

      assertThat(info.id()).matches("snap-[0-9a-f-]{36}");
      assertThat(file.getFileName().toString()).isEqualTo(info.id() + ".snap");
      assertThat(info.kind()).isEqualTo(SnapshotKind.INSTANCE);
      assertThat(info.walOffset()).isEqualTo(77);
      assertThat(info.createdAt()).isEqualTo(1_767_225_600_000L);
      assertThat(info.itemCount()).isEqualTo(3);
      assertThat(info.sizeBytes()).isEqualTo(bytes.length);
      assertThat(info.checksum())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      try (SnapshotReader r = store.open(info.id())) {
        assertThat(r.info()).isEqualTo(info);
      }
    }

    @Test
    void fileLayoutMatchesTheDocumentedFormat() throws Exception {
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 5, 9)) {
        w.write(json("{\"k\":1}"));
        info = w.commit();
      }
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(store.pathOf(info.id())));
      byte[] magic = new byte[8];
      b.get(magic);
      assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("RSTMSNAP");
      assertThat(b.getShort()).isEqualTo((short) 1);
      assertThat(b.get()).isEqualTo((byte) 0); // STATE
      assertThat(b.get()).isZero();
      assertThat(b.getLong()).isEqualTo(5);
      assertThat(b.getLong()).isEqualTo(9);
      assertThat(b.getInt()).isZero();
      int len = b.getInt();
      byte[] item = new byte[len];
      b.get(item);
      assertThat(new String(item, StandardCharsets.UTF_8)).isEqualTo("{\"k\":1}");
      assertThat(b.getInt()).isEqualTo(0xFFFFFFFF);
      assertThat(b.getLong()).isEqualTo(1);
      byte[] footerHash = new byte[32];
      b.get(footerHash);
      assertThat(b.hasRemaining()).isFalse();
      byte[] all = b.array();
      byte[] expected =
          MessageDigest.getInstance("SHA-256")
              .digest(java.util.Arrays.copyOf(all, all.length - 32));
      assertThat(footerHash).isEqualTo(expected);
    }

    @Test
    void itemThatCouldNotBeReadBackIsRefusedAndTheWriterGoesOn() {
      com.fasterxml.jackson.databind.node.ObjectNode bad =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      bad.put("lone \uD800 surrogate", 1);
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 0, 0)) {
        w.write(json("1"));
        assertThatThrownBy(() -> w.write(bad))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("would not read back");
        w.write(json("2"));
        info = w.commit();
      }
      assertThat(readAll(store, info.id())).containsExactly(json("1"), json("2"));
    }

    @Test
    void tooDeeplyNestedItemIsRefused() {
      StringBuilder deep = new StringBuilder();
      deep.append("[".repeat(999)).append("]".repeat(999));
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 0, 0)) {
        w.write(json(deep.toString()));
        com.fasterxml.jackson.databind.node.ArrayNode tooDeep =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode cur = tooDeep;
        for (int i = 0; i < 1500; i++) {
          cur = cur.addArray();
        }
        assertThatThrownBy(() -> w.write(tooDeep)).isInstanceOf(IllegalArgumentException.class);
        SnapshotInfo info = w.commit();
        assertThat(readAll(store, info.id())).containsExactly(json(deep.toString()));
      }
    }

    @Test
    void itemsWrittenAreCopiedNotReferenced() {
      com.fasterxml.jackson.databind.node.ObjectNode item =
          (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"a\":1}");
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 0, 0)) {
        w.write(item);
        item.put("a", 2);
        info = w.commit();
      }
      assertThat(readAll(store, info.id())).containsExactly(json("{\"a\":1}"));
    }
  }

  @Nested
  @DisplayName("list, delete, lifecycle")
  class Listing {
    @Test
    void listIsNewestCommitFirstRegardlessOfOffsetsAndBeginOrder() {
      SnapshotWriter first = store.begin(SnapshotKind.STATE, 100, 3);
      SnapshotInfo a = commit(store, 5, List.of());
      SnapshotInfo b = commit(store, 1, List.of());
      SnapshotInfo c = first.commit();
      first.close();

      assertThat(store.list()).containsExactly(c, b, a);
      assertThat(reopen().list()).containsExactly(c, b, a);
    }

    @Test
    void uncommittedWriterIsInvisibleAndLeavesNoFile() throws Exception {
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 1, 1)) {
        numbered(10).forEach(w::write);
      }
      assertThat(store.list()).isEmpty();
      try (var files = Files.list(store.directory())) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactly("snapshots.manifest");
      }
    }

    @Test
    void writerRefusesUseAfterCommit() {
      SnapshotWriter w = store.begin(SnapshotKind.STATE, 1, 1);
      w.commit();
      assertThatThrownBy(() -> w.write(json("1"))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
      w.close();
      assertThat(store.list()).hasSize(1);
    }

    @Test
    void deleteUnlistsThenRemovesTheFileAndSurvivesReopen() {
      SnapshotInfo a = commit(store, 1, numbered(2));
      SnapshotInfo b = commit(store, 2, numbered(2));
      store.delete(a.id());

      assertThat(store.list()).containsExactly(b);
      assertThat(store.pathOf(a.id())).doesNotExist();
      assertThatThrownBy(() -> store.open(a.id()))
          .isInstanceOfSatisfying(
              RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
      assertThat(reopen().list()).containsExactly(b);
      assertThat(readAll(store, b.id())).isEqualTo(numbered(2));
    }

    @Test
    void deleteOfUnknownIdIsIgnored() {
      SnapshotInfo a = commit(store, 1, List.of());
      store.delete("snap-00000000-0000-0000-0000-000000000000");
      store.delete("../../etc/passwd");
      assertThat(store.list()).containsExactly(a);
    }

    @Test
    void openOfUnknownOrMalformedIdIsNotFound() {
      for (String id : List.of("snap-00000000-0000-0000-0000-000000000000", "../x", "")) {
        assertThatThrownBy(() -> store.open(id))
            .isInstanceOfSatisfying(
                RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
      }
    }

    @Test
    void closedStoreRefusesNewWrites() {
      store.close();
      assertThatThrownBy(() -> store.begin(SnapshotKind.STATE, 0, 0))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsNegativeOffsets() {
      assertThatThrownBy(() -> store.begin(SnapshotKind.STATE, -1, 0))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentWritersAllCommitWithDistinctIds() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<SnapshotInfo>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          int n = i;
          futures.add(pool.submit(() -> commit(store, n, numbered(n))));
        }
        List<SnapshotInfo> infos = new ArrayList<>();
        for (Future<SnapshotInfo> f : futures) {
          infos.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(store.list()).containsExactlyInAnyOrderElementsOf(infos);
        assertThat(infos.stream().map(SnapshotInfo::id).distinct()).hasSize(16);
        for (SnapshotInfo info : infos) {
          assertThat(readAll(store, info.id())).isEqualTo(numbered((int) info.walOffset()));
        }
        assertThat(reopen().list()).containsExactlyInAnyOrderElementsOf(infos);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void twoReadersOfOneSnapshotAreIndependent() {
      SnapshotInfo info = commit(store, 1, numbered(3));
      try (SnapshotReader r1 = store.open(info.id());
          SnapshotReader r2 = store.open(info.id())) {
        assertThat(r1.next()).isEqualTo(numbered(3).get(0));
        assertThat(r1.next()).isEqualTo(numbered(3).get(1));
        assertThat(r2.next()).isEqualTo(numbered(3).get(0));
        assertThat(r1.next()).isEqualTo(numbered(3).get(2));
        assertThat(r1.next()).isNull();
        assertThat(r1.next()).isNull();
      }
    }

    @Test
    void openReaderKeepsWorkingAfterDelete() {
      SnapshotInfo info = commit(store, 1, numbered(3));
      try (SnapshotReader r = store.open(info.id())) {
        store.delete(info.id());
        assertThat(r.next()).isEqualTo(numbered(3).get(0));
      }
    }
  }

  @Nested
  @DisplayName("manifest")
  class ManifestFile {
    @Test
    void freshDirectoryGetsAnEmptyManifest() throws Exception {
      Path manifest = store.directory().resolve("snapshots.manifest");
      List<String> lines = Files.readAllLines(manifest);
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).isEqualTo("RSTMDB-SNAPSHOT-MANIFEST 1");
      assertThat(lines.get(1)).isEqualTo("{\"generation\":0,\"snapshots\":[]}");
      assertThat(lines.get(2)).matches("sha256 [0-9a-f]{64}");
    }

    @Test
    void manifestListsCommittedSnapshotsWithTheirChecksum() throws Exception {
      SnapshotInfo info = commit(store, 9, numbered(1));
      List<String> lines = Files.readAllLines(store.directory().resolve("snapshots.manifest"));
      JsonNode body = json(lines.get(1));
      assertThat(body.get("generation").asLong()).isEqualTo(1);
      JsonNode entry = body.get("snapshots").get(0);
      assertThat(entry.get("id").asText()).isEqualTo(info.id());
      assertThat(entry.get("checksum").asText()).isEqualTo(info.checksum());
      assertThat(entry.get("wal_offset").asLong()).isEqualTo(9);
      assertThat(entry.get("item_count").asLong()).isEqualTo(1);
      byte[] firstTwo =
          (lines.get(0) + "\n" + lines.get(1) + "\n").getBytes(StandardCharsets.UTF_8);
      assertThat(lines.get(2))
          .isEqualTo(
              "sha256 "
                  + HexFormat.of()
                      .formatHex(MessageDigest.getInstance("SHA-256").digest(firstTwo)));
    }

    @Test
    void reopenRestoresEveryCommittedSnapshotAndItsContent() {
      List<SnapshotInfo> infos = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        infos.add(commit(store, i, numbered(i + 1)));
      }
      store.delete(infos.get(2).id());
      infos.remove(2);
      FileSnapshotStore reopened = reopen();
      List<SnapshotInfo> newestFirst = new ArrayList<>(infos);
      java.util.Collections.reverse(newestFirst);
      assertThat(reopened.list()).isEqualTo(newestFirst);
      for (SnapshotInfo info : infos) {
        assertThat(readAll(reopened, info.id())).isEqualTo(numbered((int) info.walOffset() + 1));
      }
    }
  }
}
