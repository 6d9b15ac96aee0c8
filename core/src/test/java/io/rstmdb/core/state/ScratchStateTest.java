package io.rstmdb.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.json.PackedJson;
import org.junit.jupiter.api.Test;

class ScratchStateTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static InstanceRecord instance(String id, String state) {
    return new InstanceRecord(
        id, "m", 1, state, PackedJson.of(JSON.objectNode()), null, 0, 0, 0, false);
  }

  private static IdempotencyRecord applyKey(String id, String key) {
    return new IdempotencyRecord(
        IdempotencyKey.apply(id, key),
        1,
        new ApplyEventResult("a", "b", JSON.objectNode(), 3, false, null));
  }

  @Test
  void writesShadowTheBaseWhichStaysUntouched() {
    DatabaseState base = new DatabaseState();
    base.putInstance(instance("x", "a"));
    ScratchState scratch = new ScratchState(base);
    scratch.putInstance(instance("x", "b"));
    scratch.putInstance(instance("y", "a"));
    assertThat(scratch.instance("x").state()).isEqualTo("b");
    assertThat(scratch.instance("y")).isNotNull();
    assertThat(base.instance("x").state()).isEqualTo("a");
    assertThat(base.instance("y")).isNull();
  }

  @Test
  void forgottenApplyKeysHideTheBasesKeysButNotNewOnes() {
    DatabaseState base = new DatabaseState();
    base.putIdempotency(applyKey("x", "k"));
    base.putIdempotency(
        new IdempotencyRecord(
            IdempotencyKey.create("k"), 1, new CreateInstanceResult("x", "a", 0)));
    ScratchState scratch = new ScratchState(base);
    scratch.forgetApplyKeys("x");
    assertThat(scratch.idempotency(IdempotencyKey.apply("x", "k"))).isNull();
    assertThat(scratch.idempotency(IdempotencyKey.create("k"))).isNotNull();
    scratch.putIdempotency(applyKey("x", "k"));
    assertThat(scratch.idempotency(IdempotencyKey.apply("x", "k"))).isNotNull();
    assertThat(base.idempotency(IdempotencyKey.apply("x", "k"))).isNotNull();
  }

  @Test
  void machinesAndFlushCannotChangeInABatch() {
    ScratchState scratch = new ScratchState(new DatabaseState());
    assertThatThrownBy(scratch::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void liveStateForgetsOnlyThatInstancesApplyKeys() {
    DatabaseState state = new DatabaseState();
    state.putIdempotency(applyKey("x", "k"));
    state.putIdempotency(applyKey("y", "k"));
    state.forgetApplyKeys("x");
    assertThat(state.idempotency(IdempotencyKey.apply("x", "k"))).isNull();
    assertThat(state.idempotency(IdempotencyKey.apply("y", "k"))).isNotNull();
  }

  @Test
  void expiredKeysArePurged() {
    DatabaseState state = new DatabaseState();
    state.putIdempotency(applyKey("x", "k"));
    state.purgeExpired(10, 10);
    assertThat(state.idempotencyRecords()).hasSize(1); // 10 - 1 < 10: still live
    state.purgeExpired(11, 10);
    assertThat(state.idempotencyRecords()).isEmpty();
  }

  @Test
  void idempotencyRecordsMatchTheirScope() {
    assertThatThrownBy(
            () ->
                new IdempotencyRecord(
                    IdempotencyKey.create("k"),
                    1,
                    new ApplyEventResult("a", "b", JSON.objectNode(), 1, false, null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdempotencyKey(IdempotencyScope.APPLY, null, "k"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(IdempotencyScope.fromWireName("delete")).isEqualTo(IdempotencyScope.DELETE);
  }
}
