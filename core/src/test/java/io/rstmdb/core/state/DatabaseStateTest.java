package io.rstmdb.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.definition.MachineDefinition;
import org.junit.jupiter.api.Test;

class DatabaseStateTest {

  private static InstanceRecord instance(String id, boolean deleted) {
    return new InstanceRecord(
        id, "m", 1, "s", JsonNodeFactory.instance.objectNode(), null, 7, 1, 2, deleted);
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
}
