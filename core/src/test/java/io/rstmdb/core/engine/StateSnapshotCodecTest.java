package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class StateSnapshotCodecTest {

  /** A STATE snapshot of a small but complete history, as items. */
  private static List<JsonNode> snapshotItems() {
    try (Fixture f = new Fixture()) {
      f.putOrder();
      f.create("a");
      await(
          f.engine.applyEvent(new ApplyEvent("a", "PAY", json("{\"n\":1}"), null, null, "e", "k")));
      await(f.engine.createInstance(new CreateInstance("b", "order", 1, null, "ck")));
      await(f.engine.deleteInstance(new DeleteInstance("b", "dk")));
      await(f.engine.compact(true));
      return f.snapshots.items(f.snapshots.list().get(0).id());
    }
  }

  private static SnapshotPort.SnapshotReader reader(List<JsonNode> items) {
    var it = items.iterator();
    return new SnapshotPort.SnapshotReader() {
      @Override
      public SnapshotInfo info() {
        return new SnapshotInfo("snap-test", SnapshotKind.STATE, 5, 0, 0, "", items.size());
      }

      @Override
      public JsonNode next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void readGivesBackEveryItem() {
    List<JsonNode> items = snapshotItems();
    StateSnapshotCodec.Loaded loaded = StateSnapshotCodec.read(reader(items));
    assertThat(loaded.walOffset()).isEqualTo(5);
    assertThat(loaded.instances()).isEqualTo(2);
    assertThat(loaded.state().instance("b").deleted()).isTrue();
    assertThat(loaded.state().instance("a").lastEventId()).isEqualTo("e");
    assertThat(loaded.state().idempotencyRecords()).hasSize(3);
  }

  private static void damaged(UnaryOperator<List<JsonNode>> damage, String why) {
    List<JsonNode> items = damage.apply(new ArrayList<>(snapshotItems()));
    assertThatThrownBy(() -> StateSnapshotCodec.read(reader(items)))
        .isInstanceOf(RstmdbException.class)
        .hasMessageStartingWith("snapshot snap-test is unusable: ")
        .hasMessageContaining(why)
        .extracting(e -> ((RstmdbException) e).code())
        .isEqualTo(ErrorCode.INTERNAL_ERROR);
  }

  @Test
  void damageIsDetectedAndNamesTheSnapshot() {
    damaged(items -> List.of(), "header");
    damaged(items -> items.subList(1, items.size()), "header");
    damaged(items -> items.subList(0, items.size() - 1), "counts");
    damaged(
        items -> {
          ((ObjectNode) items.get(2)).remove("ctx");
          return items;
        },
        "ctx");
    damaged(
        items -> {
          ((ObjectNode) items.get(1)).put("kind", "mystery");
          return items;
        },
        "mystery");
    damaged(
        items -> {
          ((ObjectNode) items.get(1)).set("definition", json("{\"states\":[]}"));
          return items;
        },
        "invalid machine definition");
  }
}
