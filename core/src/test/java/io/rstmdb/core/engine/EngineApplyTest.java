package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineApplyTest {
  private final Fixture f = new Fixture();

  @BeforeEach
  void machine() {
    f.putOrder();
    f.create("o-1");
  }

  @AfterEach
  void close() {
    f.close();
  }

  private ApplyEventResult apply(ApplyEvent command) {
    return await(f.engine.applyEvent(command));
  }

  private static ApplyEvent event(String id, String event) {
    return new ApplyEvent(id, event, null, null, null, null, null);
  }

  @Test
  void applyMovesTheInstanceAndMergesThePayload() {
    ApplyEventResult result =
        apply(new ApplyEvent("o-1", "PAY", json("{\"amount\":10}"), null, null, "e-1", null));
    assertThat(result)
        .isEqualTo(
            new ApplyEventResult("created", "paid", json("{\"amount\":10}"), 2, true, "e-1"));
    var view = await(f.engine.getInstance("o-1"));
    assertThat(view.state()).isEqualTo("paid");
    assertThat(view.ctx()).isEqualTo(json("{\"amount\":10}"));
    assertThat(view.lastEventId()).isEqualTo("e-1");
    assertThat(view.lastWalOffset()).isEqualTo(2);

    var entry = f.walRecords().get(2).entry().body();
    assertThat(entry.toString())
        .isEqualTo(
            "{\"type\":\"apply_event\",\"instance_id\":\"o-1\",\"machine\":\"order\",\"version\":1,"
                + "\"event\":\"PAY\",\"from_state\":\"created\",\"to_state\":\"paid\","
                + "\"payload\":{\"amount\":10},\"ctx\":{\"amount\":10},\"event_id\":\"e-1\",\"ts\":"
                + f.clock.millis()
                + "}");
  }

  @Test
  void mergeIsShallowAndOnlyBetweenObjects() {
    await(
        f.engine.createInstance(
            new CreateInstance("n", "order", 1, json("{\"a\":{\"x\":1},\"b\":2}"), null)));
    ApplyEventResult paid =
        apply(
            new ApplyEvent(
                "n", "PAY", json("{\"a\":{\"y\":1},\"c\":null}"), null, null, null, null));
    assertThat(paid.ctx()).isEqualTo(json("{\"a\":{\"y\":1},\"b\":2,\"c\":null}"));
    ApplyEventResult touched =
        apply(new ApplyEvent("n", "TOUCH", json("[1,2]"), null, null, null, null));
    assertThat(touched.ctx()).isEqualTo(paid.ctx());
    assertThat(f.walRecords().get(f.walRecords().size() - 1).entry().body().get("payload"))
        .isEqualTo(json("[1,2]"));
    // A payload-less apply records JSON null.
    ApplyEventResult again = apply(event("n", "TOUCH"));
    assertThat(again.ctx()).isEqualTo(paid.ctx());
    assertThat(f.walRecords().get(f.walRecords().size() - 1).entry().body().get("payload"))
        .isEqualTo(NullNode.getInstance());

    await(f.engine.createInstance(new CreateInstance("arr", "order", 1, json("[0]"), null)));
    assertThat(apply(new ApplyEvent("arr", "PAY", json("{\"k\":1}"), null, null, null, null)).ctx())
        .isEqualTo(json("[0]"));
  }

  @Test
  void theCallersPayloadIsNotShared() {
    var payload = (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"amount\":1}");
    apply(new ApplyEvent("o-1", "PAY", payload, null, null, null, null));
    payload.put("amount", 99);
    assertThat(await(f.engine.getInstance("o-1")).ctx()).isEqualTo(json("{\"amount\":1}"));
  }

  @Test
  void unknownEventInTheStateIsInvalidTransition() {
    var e = failure(f.engine.applyEvent(event("o-1", "SHIP")), ErrorCode.INVALID_TRANSITION);
    assertThat(e).hasMessage("invalid transition: cannot apply 'SHIP' in state 'created'");
    assertThat(f.walRecords()).hasSize(2);
  }

  @Test
  void guardSeesTheCtxBeforeTheMerge() {
    apply(event("o-1", "PAY"));
    var e =
        failure(
            f.engine.applyEvent(
                new ApplyEvent("o-1", "SHIP", json("{\"amount\":5}"), null, null, null, null)),
            ErrorCode.GUARD_FAILED);
    assertThat(e)
        .hasMessage(
            "guard failed: guard failed for transition 'paid' -> 'shipped' on event 'SHIP'");
    apply(new ApplyEvent("o-1", "TOUCH", json("{\"amount\":5}"), null, null, null, null));
    assertThat(apply(event("o-1", "SHIP")).toState()).isEqualTo("shipped");
  }

  @Test
  void firstCandidateWhoseGuardHoldsWins() {
    String routed =
        """
        {"states":["new","big","small","none"],"initial":"new","transitions":[
          {"from":"new","event":"GO","to":"big","guard":"ctx.n > 100"},
          {"from":"new","event":"GO","to":"small","guard":"ctx.n > 0"},
          {"from":"new","event":"STOP","to":"none","guard":"ctx.n > 1000"}]}
        """;
    await(f.engine.putMachine(new PutMachine("routed", 1, json(routed), null)));
    await(
        f.engine.createInstance(new CreateInstance("r1", "routed", 1, json("{\"n\":500}"), null)));
    await(f.engine.createInstance(new CreateInstance("r2", "routed", 1, json("{\"n\":5}"), null)));
    await(f.engine.createInstance(new CreateInstance("r3", "routed", 1, json("{\"n\":0}"), null)));
    assertThat(apply(event("r1", "GO")).toState()).isEqualTo("big");
    assertThat(apply(event("r2", "GO")).toState()).isEqualTo("small");
    var e = failure(f.engine.applyEvent(event("r3", "GO")), ErrorCode.GUARD_FAILED);
    assertThat(e).hasMessageContaining("'new' -> 'big' on event 'GO'");
  }

  @Test
  void expectedStateMismatchIsConflictWithDetails() {
    var e =
        failure(
            f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, "paid", null, null, null)),
            ErrorCode.CONFLICT);
    assertThat(e).hasMessage("state conflict: expected 'paid', actual 'created'");
    assertThat(e.details()).isEqualTo(Map.of("expected", "paid", "actual", "created"));
    assertThat(e.retryable()).isFalse();
    assertThat(apply(new ApplyEvent("o-1", "PAY", null, "created", null, null, null)).toState())
        .isEqualTo("paid");
  }

  @Test
  void expectedWalOffsetMismatchIsConflictWithDetails() {
    var e =
        failure(
            f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, 0L, null, null)),
            ErrorCode.CONFLICT);
    assertThat(e).hasMessage("WAL offset conflict: expected 0, actual 1");
    assertThat(e.details()).isEqualTo(Map.of("expected", 0L, "actual", 1L));
    // The state check comes first.
    var both =
        failure(
            f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, "x", 0L, null, null)),
            ErrorCode.CONFLICT);
    assertThat(both.getMessage()).startsWith("state conflict");
    assertThat(apply(new ApplyEvent("o-1", "PAY", null, "created", 1L, null, null)).walOffset())
        .isEqualTo(2);
  }

  @Test
  void lastEventIdIsSetOrClearedByEveryApply() {
    apply(new ApplyEvent("o-1", "PAY", null, null, null, "e-1", null));
    assertThat(await(f.engine.getInstance("o-1")).lastEventId()).isEqualTo("e-1");
    ApplyEventResult r = apply(event("o-1", "TOUCH"));
    assertThat(r.eventId()).isNull();
    assertThat(await(f.engine.getInstance("o-1")).lastEventId()).isNull();
  }

  @Test
  void missingFieldsAreBadRequest() {
    failure(f.engine.applyEvent(event(null, "PAY")), ErrorCode.BAD_REQUEST);
    failure(f.engine.applyEvent(event("o-1", null)), ErrorCode.BAD_REQUEST);
    failure(f.engine.applyEvent(event("nope", "PAY")), ErrorCode.INSTANCE_NOT_FOUND);
  }

  @Test
  void idempotentApplyReturnsTheOriginalResultWithoutWriting() {
    ApplyEvent first = new ApplyEvent("o-1", "PAY", json("{\"amount\":3}"), null, null, "e", "k");
    ApplyEventResult original = apply(first);
    apply(new ApplyEvent("o-1", "TOUCH", json("{\"amount\":4}"), null, null, null, null));
    int records = f.walRecords().size();
    // Different event and expectations are not compared; the original result comes back.
    ApplyEventResult replay =
        apply(new ApplyEvent("o-1", "SHIP", null, "nonsense", 77L, "other", "k"));
    assertThat(replay)
        .isEqualTo(
            new ApplyEventResult(
                original.fromState(),
                original.toState(),
                original.ctx(),
                original.walOffset(),
                false,
                "e"));
    assertThat(f.walRecords()).hasSize(records);
    assertThat(await(f.engine.getInstance("o-1")).state()).isEqualTo("paid");
  }

  @Test
  void applyKeysAreScopedPerInstance() {
    f.create("o-2");
    apply(new ApplyEvent("o-1", "PAY", null, null, null, null, "k"));
    ApplyEventResult other = apply(new ApplyEvent("o-2", "PAY", null, null, null, null, "k"));
    assertThat(other.applied()).isTrue();
    assertThat(other.walOffset()).isEqualTo(4);
  }

  @Test
  void failedAppliesAreNotRemembered() {
    failure(
        f.engine.applyEvent(new ApplyEvent("o-1", "SHIP", null, null, null, null, "k")),
        ErrorCode.INVALID_TRANSITION);
    assertThat(apply(new ApplyEvent("o-1", "PAY", null, null, null, null, "k")).applied()).isTrue();
  }

  @Test
  void keysExpireAfterTheRetention() {
    apply(new ApplyEvent("o-1", "PAY", null, null, null, null, "k"));
    f.clock.advance(EngineConfig.DEFAULT_RETENTION_MILLIS - 1);
    assertThat(apply(new ApplyEvent("o-1", "TOUCH", null, null, null, null, "k")).applied())
        .isFalse();
    f.clock.advance(1);
    ApplyEventResult fresh = apply(new ApplyEvent("o-1", "TOUCH", null, null, null, null, "k"));
    assertThat(fresh.applied()).isTrue();
    assertThat(fresh.fromState()).isEqualTo("paid");
  }

  @Test
  void idempotentCreateReturnsTheOriginalResult() {
    CreateInstanceResult first =
        await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck")));
    int records = f.walRecords().size();
    CreateInstanceResult again =
        await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck")));
    assertThat(again).isEqualTo(first);
    // Even with an explicit id the key wins over INSTANCE_EXISTS.
    assertThat(
            await(
                f.engine.createInstance(
                    new CreateInstance(first.instanceId(), "order", 1, null, "ck"))))
        .isEqualTo(first);
    assertThat(f.walRecords()).hasSize(records);
    assertThat(f.walRecords().get(records - 1).entry().body().get("idempotency_key").asText())
        .isEqualTo("ck");
  }

  @Test
  void aCreateKeyReusedForAnotherInstanceIdIsNotARetry() {
    CreateInstanceResult first =
        await(f.engine.createInstance(new CreateInstance("o-2", "order", 1, null, "ck")));

    CreateInstanceResult other =
        await(f.engine.createInstance(new CreateInstance("o-3", "order", 1, null, "ck")));

    assertThat(other.instanceId()).isEqualTo("o-3");
    assertThat(other.walOffset()).isGreaterThan(first.walOffset());
    assertThat(await(f.engine.getInstance("o-3")).state()).isEqualTo("created");
    // The key now answers for o-3; the first request's retry finds its instance already there.
    assertThat(await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck"))))
        .isEqualTo(other);
    failure(
        f.engine.createInstance(new CreateInstance("o-2", "order", 1, null, "ck")),
        ErrorCode.INSTANCE_EXISTS);
  }

  @Test
  void idempotentDeleteReturnsTheOriginalResult() {
    f.create("o-2");
    DeleteInstanceResult first = await(f.engine.deleteInstance(new DeleteInstance("o-2", "dk")));
    int records = f.walRecords().size();
    assertThat(await(f.engine.deleteInstance(new DeleteInstance("o-2", "dk")))).isEqualTo(first);
    assertThat(f.walRecords()).hasSize(records);
  }

  @Test
  void aDeleteKeyReusedForAnotherInstanceIsNotARetry() {
    f.create("o-2");
    DeleteInstanceResult first = await(f.engine.deleteInstance(new DeleteInstance("o-2", "dk")));

    DeleteInstanceResult other = await(f.engine.deleteInstance(new DeleteInstance("o-1", "dk")));

    assertThat(other.instanceId()).isEqualTo("o-1");
    assertThat(other.walOffset()).isGreaterThan(first.walOffset());
    assertThatThrownBy(() -> await(f.engine.getInstance("o-1"))).hasMessageContaining("not found");
    assertThatThrownBy(() -> await(f.engine.deleteInstance(new DeleteInstance("nope", "dk"))))
        .hasMessageContaining("not found");
  }

  @Test
  void idempotencyKeysSurviveARestart() {
    ApplyEventResult original = apply(new ApplyEvent("o-1", "PAY", null, null, null, "e", "k"));
    CreateInstanceResult created =
        await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck")));
    f.restart();
    assertThat(apply(new ApplyEvent("o-1", "PAY", null, null, null, null, "k")))
        .isEqualTo(
            new ApplyEventResult(
                "created", "paid", original.ctx(), original.walOffset(), false, "e"));
    assertThat(await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck"))))
        .isEqualTo(created);
    // Expiry uses the stamped time, so it survives the restart too.
    f.clock.advance(EngineConfig.DEFAULT_RETENTION_MILLIS);
    assertThat(
            await(f.engine.createInstance(new CreateInstance(null, "order", 1, null, "ck")))
                .instanceId())
        .isNotEqualTo(created.instanceId());
  }
}
