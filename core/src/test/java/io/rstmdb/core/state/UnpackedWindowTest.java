package io.rstmdb.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.json.PackedJson;
import org.junit.jupiter.api.Test;

/** Records written with a fresh ctx tree keep it for a bounded window, then hold it packed. */
class UnpackedWindowTest {
  private static final int WINDOW = DatabaseState.UNPACKED_WINDOW;

  private static InstanceRecord fresh(String id, int n) {
    JsonNode ctx = JsonNodeFactory.instance.objectNode().put("n", n);
    return new InstanceRecord(id, "m", 1, "s", PackedJson.fresh(ctx), null, n, 1, 2, false);
  }

  @Test
  void recordsLeavingTheWindowArePackedAndKeepTheirContent() {
    DatabaseState state = new DatabaseState();
    for (int i = 0; i < WINDOW + 10; i++) {
      state.putInstance(fresh("i" + i, i));
    }
    for (int i = 0; i < 10; i++) {
      InstanceRecord r = state.instance("i" + i);
      assertThat(r.ctx()).isInstanceOf(PackedJson.Bytes.class);
      assertThat(r.ctx().tree().get("n").intValue()).isEqualTo(i);
      assertThat(r.lastWalOffset()).isEqualTo(i);
    }
    for (int i = 10; i < WINDOW + 10; i++) {
      assertThat(state.instance("i" + i).ctx()).isInstanceOf(PackedJson.Fresh.class);
    }
    assertThat(state.instances()).hasSize(WINDOW + 10);
    assertThat(state.liveInstanceCount()).isEqualTo(WINDOW + 10);
  }

  @Test
  void aRecordReplacedInsideTheWindowIsNotPutBackWhenItsOldVersionLeaves() {
    DatabaseState state = new DatabaseState();
    state.putInstance(fresh("hot", 1));
    InstanceRecord newer = fresh("hot", 2);
    state.putInstance(newer);
    for (int i = 0; i < WINDOW - 1; i++) {
      state.putInstance(fresh("other" + i, i));
    }
    // The first "hot" record has left the window; the live one is the newer, still fresh.
    assertThat(state.instance("hot")).isSameAs(newer);
    state.putInstance(fresh("one-more", 0));
    assertThat(state.instance("hot").ctx()).isInstanceOf(PackedJson.Bytes.class);
    assertThat(state.instance("hot").lastWalOffset()).isEqualTo(2);
  }

  @Test
  void aCaptureSeesTheSameContentWhileRecordsArePacked() {
    DatabaseState state = new DatabaseState();
    for (int i = 0; i < 5; i++) {
      state.putInstance(fresh("i" + i, i));
    }
    InstanceCapture capture = state.beginCapture();
    for (int i = 5; i < WINDOW + 5; i++) {
      state.putInstance(fresh("i" + i, i));
    }
    assertThat(capture.instances())
        .extracting(r -> r.ctx().tree().get("n").intValue())
        .containsExactly(0, 1, 2, 3, 4);
    state.endCapture(capture);
  }

  @Test
  void clearForgetsTheWindow() {
    DatabaseState state = new DatabaseState();
    for (int i = 0; i < WINDOW; i++) {
      state.putInstance(fresh("i" + i, i));
    }
    state.clear();
    state.putInstance(fresh("after", 0));
    assertThat(state.instance("after").ctx()).isInstanceOf(PackedJson.Fresh.class);
    assertThat(state.instances()).hasSize(1);
  }
}
