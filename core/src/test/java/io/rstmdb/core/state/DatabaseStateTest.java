package io.rstmdb.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.json.PackedJson;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class DatabaseStateTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static InstanceRecord instance(String id, boolean deleted) {
    return new InstanceRecord(
        id,
        "m",
        1,
        "s",
        PackedJson.of(JsonNodeFactory.instance.objectNode()),
        null,
        7,
        1,
        2,
        deleted);
  }

  private static MachineRecord machine(String name, long version) {
    var def = JsonNodeFactory.instance.objectNode();
    def.putArray("states").add("s");
    def.put("initial", "s");
    def.putArray("transitions");
    MachineDefinition parsed = MachineDefinition.parse(def);
    return new MachineRecord(new MachineKey(name, version), parsed, def, parsed.checksum());
  }

  @Test
  void pointLookupsSeeWhatTheListingsSee() {
    DatabaseState state = new DatabaseState();
    InstanceRecord b = instance("bench-run-0-10", false);
    InstanceRecord a = instance("bench-run-0-2", false);
    state.putInstance(b);
    state.putInstance(a);
    state.putMachine(machine("m", 2));
    state.putMachine(machine("m", 1));

    assertThat(state.instance("bench-run-0-2")).isSameAs(a);
    assertThat(state.instance("bench-run-0-10")).isSameAs(b);
    assertThat(state.instance("bench-run-0-1")).isNull();
    assertThat(state.instances()).containsExactly(b, a); // code point order: '1' < '2'
    assertThat(state.machine(new MachineKey("m", 1)).key().version()).isEqualTo(1);
    assertThat(state.machine(new MachineKey("m", 3))).isNull();
    assertThat(state.versionCount("m")).isEqualTo(2);
  }

  @Test
  void aReplacedRecordIsTheOneFoundAndCountedOnce() {
    DatabaseState state = new DatabaseState();
    state.putInstance(instance("x", false));
    InstanceRecord deleted = instance("x", true);
    state.putInstance(deleted);

    assertThat(state.instance("x")).isSameAs(deleted);
    assertThat(state.instances()).containsExactly(deleted);
    assertThat(state.liveInstanceCount()).isZero();
  }

  @Test
  void clearForgetsLookupsToo() {
    DatabaseState state = new DatabaseState();
    state.putInstance(instance("x", false));
    state.putMachine(machine("m", 1));

    state.clear();

    assertThat(state.instance("x")).isNull();
    assertThat(state.machine(new MachineKey("m", 1))).isNull();
    assertThat(state.instances()).isEmpty();
    assertThat(state.machines()).isEmpty();
  }

  @Test
  void updatesKeepTheListingOrderAndTheListingIsReadOnly() {
    DatabaseState state = new DatabaseState();
    for (String id : List.of("b", "a", "\uD83D\uDE00", "\uFFFD", "c")) {
      state.putInstance(instance(id, false));
    }
    InstanceRecord newer =
        instance("a", false).transitioned("t", PackedJson.of(NODES.objectNode()), null, 9, 3);
    state.putInstance(newer);

    assertThat(state.instances())
        .extracting(InstanceRecord::id)
        .containsExactly("a", "b", "c", "\uFFFD", "\uD83D\uDE00"); // code point order
    assertThat(state.instances()).hasSize(5).first().isSameAs(newer);
    assertThat(state.liveInstanceCount()).isEqualTo(5);
    assertThatThrownBy(() -> state.instances().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    Iterator<InstanceRecord> it = state.instances().iterator();
    it.next();
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anIteratorPastTheEndSaysSo() {
    DatabaseState state = new DatabaseState();
    Iterator<InstanceRecord> it = state.instances().iterator();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }
}
