package io.rstmdb.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.SnapshotPort.SnapshotReader;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SnapshotPort} adapter must show, as a JUnit 5 suite to extend. The
 * engine's recovery relies on each of these: a snapshot is visible only once committed and then
 * survives restarts, items come back exactly, and damage is reported rather than returned.
 *
 * <p>Bind it by extending it and implementing {@link #createStore()}. Override {@link
 * #reopen(SnapshotPort)} if the store survives a restart (every durable adapter should), and {@link
 * #corrupt(SnapshotPort, String)} if you can damage stored data on purpose; without them the tests
 * that need them are skipped (aborted by an assumption naming the missing hook).
 *
 * <pre>{@code
 * class MyStoreContractTest extends SnapshotPortContract {
 *   @TempDir Path dir;
 *
 *   @Override protected SnapshotPort createStore() {
 *     return MyStore.open(dir);
 *   }
 *
 *   @Override protected SnapshotPort reopen(SnapshotPort store) {
 *     store.close();
 *     return MyStore.open(dir);
 *   }
 *
 *   @Override protected void corrupt(SnapshotPort store, String id) throws Exception {
 *     Path file = dir.resolve(id + ".snap");
 *     byte[] b = Files.readAllBytes(file);
 *     b[b.length / 2] ^= 0x01;
 *     Files.write(file, b);
 *   }
 * }
 * }</pre>
 *
 * <p>What the suite fixes beyond the port's Javadoc: ids start with {@code snap-} and are unique;
 * {@code checksum} is 64 lowercase hex digits; {@code open} of an unknown id throws {@code
 * RstmdbException} with {@code NOT_FOUND}; a writer refuses use after commit or close with {@code
 * IllegalStateException}; items compare equal as JSON values (the node a parser produces from their
 * text: a {@code LongNode} 1 may come back as an {@code IntNode} 1).
 */
public abstract class SnapshotPortContract {
  private final ObjectMapper jsonMapper = new ObjectMapper();

  /** The store under test; replaced by {@link #reopen} when a test restarts it. */
  protected SnapshotPort store;

  /** A new, empty store for one test. Called before each test. */
  protected abstract SnapshotPort createStore() throws Exception;

  /**
   * Simulates a restart: release {@code store} (without committing open writers) and return a store
   * over the same durable data. The default skips the tests that need it.
   */
  protected SnapshotPort reopen(SnapshotPort store) throws Exception {
    Assumptions.abort("this adapter does not support reopen(): override reopen() to run this test");
    throw new AssertionError("unreachable");
  }

  /**
   * Damages the stored data of a committed snapshot so that {@code open} must detect it (flip a
   * byte, truncate, ...). The default skips the tests that need it.
   */
  protected void corrupt(SnapshotPort store, String snapshotId) throws Exception {
    Assumptions.abort(
        "this adapter cannot damage snapshots on purpose: override corrupt() to run this test");
  }

  @BeforeEach
  void createStoreUnderTest() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStoreUnderTest() {
    if (store != null) {
      store.close();
    }
  }

  // ---- helpers for the nested groups (and for adapter-specific tests of subclasses) ----

  /** Parses JSON text; items in this suite are built this way so their node types are canonical. */
  protected JsonNode json(String text) {
    try {
      return jsonMapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** {@code n} distinct small objects. */
  protected List<JsonNode> items(int n) {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode o = jsonMapper.createObjectNode();
      o.put("n", i);
      o.put("id", "item-" + i);
      out.add(json(o.toString()));
    }
    return out;
  }

  /** Writes and commits a STATE snapshot. */
  protected SnapshotInfo commit(long walOffset, List<JsonNode> items) {
    try (SnapshotWriter w = store.begin(SnapshotKind.STATE, walOffset, 1_000 + walOffset)) {
      items.forEach(w::write);
      return w.commit();
    }
  }

  /** Every item of a snapshot, in order. */
  protected List<JsonNode> readAll(String id) {
    List<JsonNode> out = new ArrayList<>();
    try (SnapshotReader r = store.open(id)) {
      for (JsonNode n = r.next(); n != null; n = r.next()) {
        out.add(n);
      }
    }
    return out;
  }

  private void restart() throws Exception {
    store = reopen(store);
  }

  private static void assertCode(Throwable t, ErrorCode code) {
    assertThat(t).isInstanceOf(RstmdbException.class);
    assertThat(((RstmdbException) t).code()).isEqualTo(code);
  }

  @Nested
  @DisplayName("write, commit, list")
  class WriteCommitList {
    @Test
    @DisplayName("a new store lists nothing")
    void emptyStore() {
      assertThat(store.list()).isEmpty();
    }

    @Test
    @DisplayName("commit returns info describing the snapshot")
    void commitInfo() {
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.INSTANCE, 41, 1_767_225_600_000L)) {
        items(3).forEach(w::write);
        info = w.commit();
      }
      assertThat(info.id()).startsWith("snap-");
      assertThat(info.kind()).isEqualTo(SnapshotKind.INSTANCE);
      assertThat(info.walOffset()).isEqualTo(41);
      assertThat(info.createdAt()).isEqualTo(1_767_225_600_000L);
      assertThat(info.itemCount()).isEqualTo(3);
      assertThat(info.sizeBytes()).isPositive();
      assertThat(info.checksum()).matches("[0-9a-f]{64}");
      assertThat(store.list()).containsExactly(info);
    }

    @Test
    @DisplayName("list is newest commit first, whatever the offsets and begin order")
    void listOrder() {
      SnapshotWriter early = store.begin(SnapshotKind.STATE, 500, 1);
      SnapshotInfo a = commit(10, items(1));
      SnapshotInfo b = commit(5, items(2));
      SnapshotInfo c = early.commit();
      early.close();
      SnapshotInfo d = commit(0, List.of());
      assertThat(store.list()).containsExactly(d, c, b, a);
    }

    @Test
    @DisplayName("ids are unique and checksums differ for different content")
    void uniqueIds() {
      Set<String> ids = new HashSet<>();
      Set<String> checksums = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        SnapshotInfo info = commit(i, items(i));
        ids.add(info.id());
        checksums.add(info.checksum());
      }
      assertThat(ids).hasSize(20);
      assertThat(checksums).hasSize(20);
    }

    @Test
    @DisplayName("a snapshot without items is valid")
    void emptySnapshot() {
      SnapshotInfo info = commit(3, List.of());
      assertThat(info.itemCount()).isZero();
      assertThat(readAll(info.id())).isEmpty();
    }

    @Test
    @DisplayName("a writer refuses use after commit")
    void writerAfterCommit() {
      SnapshotWriter w = store.begin(SnapshotKind.STATE, 1, 1);
      w.commit();
      assertThatThrownBy(() -> w.write(json("1"))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
      w.close();
      assertThat(store.list()).hasSize(1);
    }

    @Test
    @DisplayName("concurrent writers all commit, each listed once")
    void concurrentWriters() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<SnapshotInfo>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          int n = i;
          futures.add(pool.submit(() -> commit(n, items(n))));
        }
        List<SnapshotInfo> infos = new ArrayList<>();
        for (Future<SnapshotInfo> f : futures) {
          infos.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(store.list()).containsExactlyInAnyOrderElementsOf(infos);
        for (SnapshotInfo info : infos) {
          assertThat(readAll(info.id())).isEqualTo(items((int) info.walOffset()));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  @DisplayName("read back")
  class ReadBack {
    @Test
    @DisplayName("items come back equal and in order")
    void identicalItems() {
      List<JsonNode> written =
          List.of(
              json(
                  "{\"machine\":\"order\",\"version\":3,\"definition\":{\"states\":[\"a\",\"b\"]}}"),
              json("{\"instance_id\":\"o-1\",\"ctx\":{\"amount\":10.5,\"tags\":[],\"x\":null}}"),
              json("\"Grüße, 世界 🎉 and \\\"quotes\\\" and a\\nnewline\""),
              json("123456789012345678901234567890"),
              json("-0.000125"),
              json("true"),
              json("null"),
              json("[[],{},[{\"deep\":[1,[2,[3]]]}]]"));
      SnapshotInfo info = commit(7, written);
      assertThat(readAll(info.id())).containsExactlyElementsOf(written);
    }

    @Test
    @DisplayName("items are copied when written: later changes to the node do not leak in")
    void itemsAreCopied() {
      ObjectNode item = (ObjectNode) json("{\"state\":\"created\"}");
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 1, 1)) {
        w.write(item);
        item.put("state", "changed");
        info = w.commit();
      }
      assertThat(readAll(info.id())).containsExactly(json("{\"state\":\"created\"}"));
    }

    @Test
    @DisplayName("reader.info() is the committed info")
    void readerInfo() {
      SnapshotInfo info = commit(9, items(2));
      try (SnapshotReader r = store.open(info.id())) {
        assertThat(r.info()).isEqualTo(info);
      }
    }

    @Test
    @DisplayName("next() keeps returning null at the end")
    void endIsStable() {
      SnapshotInfo info = commit(1, items(1));
      try (SnapshotReader r = store.open(info.id())) {
        assertThat(r.next()).isEqualTo(items(1).get(0));
        assertThat(r.next()).isNull();
        assertThat(r.next()).isNull();
      }
    }

    @Test
    @DisplayName("two readers of one snapshot do not disturb each other")
    void independentReaders() {
      SnapshotInfo info = commit(1, items(3));
      try (SnapshotReader r1 = store.open(info.id());
          SnapshotReader r2 = store.open(info.id())) {
        assertThat(r1.next()).isEqualTo(items(3).get(0));
        assertThat(r1.next()).isEqualTo(items(3).get(1));
        assertThat(r2.next()).isEqualTo(items(3).get(0));
        assertThat(r1.next()).isEqualTo(items(3).get(2));
        assertThat(r2.next()).isEqualTo(items(3).get(1));
      }
    }

    @Test
    @DisplayName("open of an unknown id is NOT_FOUND")
    void unknownId() {
      for (String id : List.of("snap-00000000-0000-0000-0000-000000000000", "../nope", "")) {
        assertThatThrownBy(() -> store.open(id)).satisfies(t -> assertCode(t, ErrorCode.NOT_FOUND));
      }
    }

    @Test
    @DisplayName("ten thousand items stream through in seconds")
    void manyItems() {
      List<JsonNode> many = items(10_000);
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            SnapshotInfo info = commit(1, many);
            assertThat(info.itemCount()).isEqualTo(10_000);
            assertThat(readAll(info.id())).isEqualTo(many);
          });
    }
  }

  @Nested
  @DisplayName("uncommitted writers")
  class Uncommitted {
    @Test
    @DisplayName("a writer in progress is not listed")
    void inProgressInvisible() {
      SnapshotInfo old = commit(1, items(1));
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 2, 2)) {
        items(5).forEach(w::write);
        assertThat(store.list()).containsExactly(old);
      }
    }

    @Test
    @DisplayName("closing without commit discards the snapshot")
    void closeDiscards() {
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 2, 2)) {
        items(5).forEach(w::write);
      }
      assertThat(store.list()).isEmpty();
    }

    @Test
    @DisplayName("a writer refuses use after close")
    void writerAfterClose() {
      SnapshotWriter w = store.begin(SnapshotKind.STATE, 2, 2);
      w.close();
      assertThatThrownBy(() -> w.write(json("1"))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
      assertThat(store.list()).isEmpty();
    }
  }

  @Nested
  @DisplayName("delete")
  class Delete {
    @Test
    @DisplayName("delete unlists a snapshot and keeps the others intact")
    void deleteOne() {
      SnapshotInfo a = commit(1, items(1));
      SnapshotInfo b = commit(2, items(2));
      SnapshotInfo c = commit(3, items(3));
      store.delete(b.id());
      assertThat(store.list()).containsExactly(c, a);
      assertThatThrownBy(() -> store.open(b.id()))
          .satisfies(t -> assertCode(t, ErrorCode.NOT_FOUND));
      assertThat(readAll(a.id())).isEqualTo(items(1));
      assertThat(readAll(c.id())).isEqualTo(items(3));
    }

    @Test
    @DisplayName("delete of an unknown id is ignored")
    void deleteUnknown() {
      SnapshotInfo a = commit(1, items(1));
      store.delete("snap-00000000-0000-0000-0000-000000000000");
      store.delete(a.id());
      store.delete(a.id());
      assertThat(store.list()).isEmpty();
    }
  }

  @Nested
  @DisplayName("durability across reopen")
  class Durability {
    @Test
    @DisplayName("committed snapshots survive with the same info, order and items")
    void committedSurvive() throws Exception {
      SnapshotInfo a = commit(1, items(2));
      SnapshotInfo b = commit(2, items(3));
      restart();
      assertThat(store.list()).containsExactly(b, a);
      assertThat(readAll(a.id())).isEqualTo(items(2));
      assertThat(readAll(b.id())).isEqualTo(items(3));
    }

    @Test
    @DisplayName("a writer abandoned by a restart leaves no trace")
    void abandonedWriter() throws Exception {
      SnapshotInfo a = commit(1, items(1));
      SnapshotWriter w = store.begin(SnapshotKind.STATE, 2, 2);
      items(100).forEach(w::write);
      restart(); // the writer is never committed nor closed, as after a crash
      assertThat(store.list()).containsExactly(a);
      SnapshotInfo b = commit(3, items(1));
      assertThat(store.list()).containsExactly(b, a);
    }

    @Test
    @DisplayName("a writer begun before a restart cannot commit into the reopened store")
    void staleWriterCannotCommit() throws Exception {
      SnapshotInfo a = commit(1, items(1));
      SnapshotWriter stale = store.begin(SnapshotKind.STATE, 2, 2);
      items(3).forEach(stale::write);
      restart();
      assertThatThrownBy(stale::commit).isInstanceOf(RuntimeException.class);
      stale.close();
      assertThat(store.list()).containsExactly(a);
      restart();
      assertThat(store.list()).containsExactly(a);
    }

    @Test
    @DisplayName("deletions survive")
    void deletionsSurvive() throws Exception {
      SnapshotInfo a = commit(1, items(1));
      SnapshotInfo b = commit(2, items(1));
      store.delete(a.id());
      restart();
      assertThat(store.list()).containsExactly(b);
    }

    @Test
    @DisplayName("new snapshots after a restart are listed after the old ones")
    void orderContinues() throws Exception {
      SnapshotInfo a = commit(5, items(1));
      restart();
      SnapshotInfo b = commit(1, items(1));
      restart();
      assertThat(store.list()).containsExactly(b, a);
    }
  }

  @Nested
  @DisplayName("damage detection")
  class Damage {
    @Test
    @DisplayName("open of a damaged snapshot throws INTERNAL_ERROR naming it")
    void damagedIsReported() throws Exception {
      SnapshotInfo good = commit(1, items(50));
      SnapshotInfo bad = commit(2, items(50));
      corrupt(store, bad.id());
      assertThatThrownBy(() -> readAll(bad.id()))
          .satisfies(
              t -> {
                assertCode(t, ErrorCode.INTERNAL_ERROR);
                assertThat(t).hasMessageContaining(bad.id()).hasMessageContaining("damaged");
              });
      assertThat(readAll(good.id())).isEqualTo(items(50));
    }

    @Test
    @DisplayName("damage is detected before any item is returned")
    void detectedAtOpen() throws Exception {
      SnapshotInfo bad = commit(2, items(50));
      corrupt(store, bad.id());
      assertThatThrownBy(() -> store.open(bad.id()).close())
          .satisfies(t -> assertCode(t, ErrorCode.INTERNAL_ERROR));
    }

    @Test
    @DisplayName("damage is still detected after a restart")
    void detectedAfterReopen() throws Exception {
      SnapshotInfo bad = commit(2, items(50));
      corrupt(store, bad.id());
      restart();
      assertThatThrownBy(() -> store.open(bad.id()).close())
          .satisfies(t -> assertCode(t, ErrorCode.INTERNAL_ERROR));
    }
  }
}
