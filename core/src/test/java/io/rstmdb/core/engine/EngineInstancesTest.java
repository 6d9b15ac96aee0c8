package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.InstancePage;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineInstancesTest {
  private Fixture f = new Fixture();

  @BeforeEach
  void machine() {
    f.putOrder();
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void createStartsInTheInitialStateWithAnEmptyCtx() {
    CreateInstanceResult created = f.create("o-1");
    assertThat(created).isEqualTo(new CreateInstanceResult("o-1", "created", 1));
    InstanceView view = await(f.engine.getInstance("o-1"));
    assertThat(view)
        .isEqualTo(
            new InstanceView(
                "o-1",
                "order",
                1,
                "created",
                json("{}"),
                null,
                1,
                f.clock.millis(),
                f.clock.millis()));
    var entry = f.walRecords().get(1).entry().body();
    assertThat(entry.toString())
        .isEqualTo(
            "{\"type\":\"create_instance\",\"instance_id\":\"o-1\",\"machine\":\"order\","
                + "\"version\":1,\"initial_state\":\"created\",\"initial_ctx\":{},\"ts\":"
                + f.clock.millis()
                + "}");
  }

  @Test
  void explicitCtxIsKeptEvenWhenNotAnObject() {
    await(f.engine.createInstance(new CreateInstance("a", "order", 1, json("[1,2]"), null)));
    await(f.engine.createInstance(new CreateInstance("b", "order", 1, json("null"), null)));
    await(f.engine.createInstance(new CreateInstance("c", "order", 1, json("{\"x\":1}"), null)));
    assertThat(await(f.engine.getInstance("a")).ctx()).isEqualTo(json("[1,2]"));
    assertThat(await(f.engine.getInstance("b")).ctx()).isEqualTo(json("{}"));
    assertThat(await(f.engine.getInstance("c")).ctx()).isEqualTo(json("{\"x\":1}"));
  }

  @Test
  void generatedIdsAreLowercaseUuidV4StampedIntoTheEntry() {
    CreateInstanceResult a = f.create(null);
    CreateInstanceResult b = f.create(null);
    assertThat(a.instanceId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
        .isNotEqualTo(b.instanceId());
    assertThat(f.walRecords().get(1).entry().body().get("instance_id").asText())
        .isEqualTo(a.instanceId());
  }

  @Test
  void existingIdIsRefused() {
    f.create("o-1");
    var e =
        failure(
            f.engine.createInstance(new CreateInstance("o-1", "order", 1, null, null)),
            ErrorCode.INSTANCE_EXISTS);
    assertThat(e).hasMessage("instance already exists: o-1");
  }

  @Test
  void unknownMachineVersionIsRefused() {
    var e =
        failure(
            f.engine.createInstance(new CreateInstance("o-1", "order", 2, null, null)),
            ErrorCode.MACHINE_NOT_FOUND);
    assertThat(e).hasMessage("machine version not found: order v2");
    failure(
        f.engine.createInstance(new CreateInstance("o-1", null, 1, null, null)),
        ErrorCode.BAD_REQUEST);
  }

  @Test
  void instanceIdsFollowTheIdRules() {
    for (String bad : List.of("x".repeat(257), "a\u007fb", "a\u0085b", "sur\udc00")) {
      failure(
          f.engine.createInstance(new CreateInstance(bad, "order", 1, null, null)),
          ErrorCode.BAD_REQUEST);
    }
    assertThat(f.create("x".repeat(256)).instanceId()).hasSize(256);
    // "" is an explicit id (operations.md §5), not a request for a generated one.
    assertThat(f.create("").instanceId()).isEmpty();
    assertThat(await(f.engine.getInstance("")).state()).isEqualTo("created");
  }

  @Test
  void unknownInstanceIsNotFound() {
    var e = failure(f.engine.getInstance("nope"), ErrorCode.INSTANCE_NOT_FOUND);
    assertThat(e).hasMessage("instance not found: nope");
  }

  @Test
  void deleteIsSoftAndHidesTheInstance() {
    f.create("o-1");
    f.clock.advance(5);
    DeleteInstanceResult deleted = await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    assertThat(deleted).isEqualTo(new DeleteInstanceResult("o-1", true, 2));
    failure(f.engine.getInstance("o-1"), ErrorCode.INSTANCE_NOT_FOUND);
    failure(
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null)),
        ErrorCode.INSTANCE_NOT_FOUND);
    failure(f.engine.snapshotInstance("o-1"), ErrorCode.INSTANCE_NOT_FOUND);
    assertThat(await(f.engine.listInstances(new InstanceQuery(null, null, null, 100, 0))).total())
        .isZero();
    // The record stays (deleted flag, new offset and updated_at) for snapshots and recovery.
    assertThat(f.dump().toString())
        .contains("\"deleted\":true")
        .contains("\"last_wal_offset\":2")
        .contains("\"updated_at\":" + f.clock.millis());
  }

  @Test
  void deletingTwiceSucceedsWithoutWriting() {
    f.create("o-1");
    await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    DeleteInstanceResult again = await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    assertThat(again).isEqualTo(new DeleteInstanceResult("o-1", true, 2));
    assertThat(f.walRecords()).hasSize(3);
    failure(
        f.engine.deleteInstance(new DeleteInstance("nope", null)), ErrorCode.INSTANCE_NOT_FOUND);
    failure(f.engine.deleteInstance(new DeleteInstance(null, null)), ErrorCode.BAD_REQUEST);
  }

  @Test
  void deletedIdCannotBeReusedByDefault() {
    f.create("o-1");
    await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    failure(
        f.engine.createInstance(new CreateInstance("o-1", "order", 1, null, null)),
        ErrorCode.INSTANCE_EXISTS);
  }

  @Test
  void deletedIdIsRecreatedWhenAllowed() {
    f.close();
    f =
        new Fixture(
            EngineConfig.defaults()
                .withCompaction(EngineConfig.Compaction.disabled())
                .withAllowInstanceRecreate(true));
    f.putOrder();
    f.create("o-1");
    f.apply("o-1", "PAY", null);
    await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    f.clock.advance(10);
    assertThat(f.create("o-1").walOffset()).isEqualTo(4);
    InstanceView view = await(f.engine.getInstance("o-1"));
    assertThat(view.state()).isEqualTo("created");
    assertThat(view.createdAt()).isEqualTo(f.clock.millis());
    // A live instance is still protected.
    failure(
        f.engine.createInstance(new CreateInstance("o-1", "order", 1, null, null)),
        ErrorCode.INSTANCE_EXISTS);
    // The old instance's apply keys do not answer for the new one.
    f.close();
    f =
        new Fixture(
            EngineConfig.defaults()
                .withCompaction(EngineConfig.Compaction.disabled())
                .withAllowInstanceRecreate(true));
    f.putOrder();
    f.create("o-1");
    await(f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, "k")));
    await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    f.create("o-1");
    var fresh =
        await(f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, "k")));
    assertThat(fresh.applied()).isTrue();
    // Replay gives the same picture.
    var before = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(before);
  }

  @Test
  void listFiltersPagesAndOrdersById() {
    await(f.engine.putMachine(new PutMachine("other", 1, json(Fixture.ORDER), null)));
    for (String id : List.of("b", "a", "d", "c", "e")) {
      f.create(id);
    }
    await(f.engine.createInstance(new CreateInstance("z", "other", 1, null, null)));
    f.apply("b", "PAY", null);
    f.apply("d", "PAY", null);
    await(f.engine.deleteInstance(new DeleteInstance("e", null)));

    InstancePage all = await(f.engine.listInstances(new InstanceQuery(null, null, null, 100, 0)));
    assertThat(all.instances())
        .extracting(InstanceView::id)
        .containsExactly("a", "b", "c", "d", "z");
    assertThat(all.total()).isEqualTo(5);
    assertThat(all.hasMore()).isFalse();

    InstancePage page = await(f.engine.listInstances(new InstanceQuery(null, null, null, 2, 1)));
    assertThat(page.instances()).extracting(InstanceView::id).containsExactly("b", "c");
    assertThat(page.total()).isEqualTo(5);
    assertThat(page.hasMore()).isTrue();

    InstancePage paid =
        await(f.engine.listInstances(new InstanceQuery("order", 1L, "paid", 100, 0)));
    assertThat(paid.instances()).extracting(InstanceView::id).containsExactly("b", "d");
    assertThat(
            await(f.engine.listInstances(new InstanceQuery("other", null, null, 100, 0))).total())
        .isEqualTo(1);
    assertThat(await(f.engine.listInstances(new InstanceQuery(null, 2L, null, 100, 0))).total())
        .isZero();

    InstancePage empty = await(f.engine.listInstances(new InstanceQuery(null, null, null, 0, 0)));
    assertThat(empty.instances()).isEmpty();
    assertThat(empty.total()).isEqualTo(5);
    assertThat(empty.hasMore()).isTrue();

    InstancePage past = await(f.engine.listInstances(new InstanceQuery(null, null, null, 10, 9)));
    assertThat(past.instances()).isEmpty();
    assertThat(past.hasMore()).isFalse();
  }

  @Test
  void missingArgumentsAreBadRequest() {
    failure(f.engine.getInstance(null), ErrorCode.BAD_REQUEST);
    failure(f.engine.getMachine(null, 1), ErrorCode.BAD_REQUEST);
    failure(f.engine.snapshotInstance(null), ErrorCode.BAD_REQUEST);
    failure(f.engine.batch(new Batch(true, null)), ErrorCode.BAD_REQUEST);
    failure(
        f.engine.listInstances(new InstanceQuery(null, null, null, -1, 0)), ErrorCode.BAD_REQUEST);
    f.create("a");
    assertThat(await(f.engine.listInstances(null)).total()).isEqualTo(1);
  }

  @Test
  void timestampsComeFromTheSequencerClock() {
    long t0 = f.clock.millis();
    f.create("o-1");
    f.clock.advance(1000);
    f.apply("o-1", "PAY", null);
    InstanceView view =
        await(f.engine.listInstances(new InstanceQuery(null, null, null, 10, 0)))
            .instances()
            .get(0);
    assertThat(view.createdAt()).isEqualTo(t0);
    assertThat(view.updatedAt()).isEqualTo(t0 + 1000);
  }
}
