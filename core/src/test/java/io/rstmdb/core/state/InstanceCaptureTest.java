package io.rstmdb.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.json.PackedJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A capture reads the instances as they were when it began, whatever is written meanwhile. */
class InstanceCaptureTest {

  private static InstanceRecord instance(String id, String state, boolean deleted) {
    return new InstanceRecord(
        id,
        "m",
        1,
        state,
        PackedJson.of(JsonNodeFactory.instance.objectNode()),
        null,
        7,
        1,
        2,
        deleted);
  }

  private static DatabaseState withInstances(String... ids) {
    DatabaseState state = new DatabaseState();
    for (String id : ids) {
      state.putInstance(instance(id, "s0", false));
    }
    return state;
  }

  @Test
  void changesAfterTheBeginningAreNotSeen() {
    DatabaseState state = withInstances("b", "a");
    List<InstanceRecord> atStart = List.copyOf(state.instances());
    InstanceCapture capture = state.beginCapture();
    state.putInstance(instance("a", "s1", false));
    state.putInstance(instance("b", "s0", true));
    state.putInstance(instance("c", "s0", false));
    state.putInstance(instance("a", "s2", false));
    assertThat(capture.instances()).containsExactlyElementsOf(atStart);
    assertThat(capture.remembered()).isEqualTo(3);
    state.endCapture(capture);
    assertThat(state.instances())
        .extracting(InstanceRecord::state)
        .containsExactly("s2", "s0", "s0");
  }

  @Test
  void aClearDuringTheCaptureIsNotSeen() {
    DatabaseState state = withInstances("x", "y");
    List<InstanceRecord> atStart = List.copyOf(state.instances());
    InstanceCapture capture = state.beginCapture();
    state.clear();
    state.putInstance(instance("x", "again", false));
    state.putInstance(instance("z", "new", false));
    assertThat(capture.instances()).containsExactlyElementsOf(atStart);
  }

  @Test
  void nothingIsRememberedOnceTheCaptureEnds() {
    DatabaseState state = withInstances("a");
    InstanceCapture capture = state.beginCapture();
    state.endCapture(capture);
    state.putInstance(instance("a", "s1", false));
    assertThat(capture.remembered()).isZero();
    // And a new capture may begin.
    state.endCapture(state.beginCapture());
  }

  @Test
  void onlyOneCaptureRunsAtATime() {
    DatabaseState state = withInstances("a");
    InstanceCapture first = state.beginCapture();
    assertThatThrownBy(state::beginCapture).isInstanceOf(IllegalStateException.class);
    state.endCapture(first);
  }

  /** Reading concurrently with a writer thread gives exactly the records of the moment it began. */
  @Property(tries = 30)
  void aConcurrentWriterNeverShowsThrough(
      @ForAll @IntRange(min = 1, max = 2000) int initial,
      @ForAll @Size(max = 3000) List<@IntRange(min = 0, max = 3000) Integer> writes)
      throws Exception {
    DatabaseState state = new DatabaseState();
    for (int i = 0; i < initial; i++) {
      state.putInstance(instance("i-" + i, "s0", false));
    }
    List<InstanceRecord> atStart = List.copyOf(state.instances());
    InstanceCapture capture = state.beginCapture();
    AtomicBoolean reading = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              int n = 0;
              for (int id : writes) {
                state.putInstance(instance("i-" + id, "w" + n++, id % 7 == 0));
              }
              while (reading.get()) {
                state.putInstance(instance("i-" + (n % (initial + 10)), "late" + n++, false));
              }
            });
    writer.start();
    List<List<InstanceRecord>> reads = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      reads.add(capture.instances());
    }
    reading.set(false);
    writer.join();
    state.endCapture(capture);
    for (List<InstanceRecord> read : reads) {
      assertThat(read).containsExactlyElementsOf(atStart);
    }
  }
}
