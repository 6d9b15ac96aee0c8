package io.rstmdb.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.RcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A writer connection: creates instances, applies events to its own instances and sends atomic
 * batches, one request at a time, recording every request in the {@link History} before it is sent.
 * Stops when told to or when its connection dies.
 */
final class Writer implements Runnable {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Lane lane;
  private final RcpClient client;
  private final History history;
  private final BooleanSupplier keepGoing;
  private final Duration timeout;
  private final String padding;

  /**
   * @param paddingBytes size of a filler string put into every payload (0 = none), to fill WAL
   *     segments quickly
   */
  Writer(
      Lane lane,
      RcpClient client,
      History history,
      BooleanSupplier keepGoing,
      Duration timeout,
      int paddingBytes) {
    this.lane = lane;
    this.client = client;
    this.history = history;
    this.keepGoing = keepGoing;
    this.timeout = timeout;
    this.padding = "x".repeat(paddingBytes);
  }

  @Override
  public void run() {
    while (keepGoing.getAsBoolean() && client.isOpen()) {
      if (!step()) {
        return;
      }
    }
  }

  /** One request; false once the connection is gone. */
  boolean step() {
    int dice = lane.random().nextInt(100);
    if (!lane.hasLive() || dice < 15) {
      return create();
    }
    if (dice < 25) {
      return batch();
    }
    return apply();
  }

  private boolean create() {
    Step step = Step.create(lane.newId("i"));
    Op op = history.invoke(List.of(step));
    Reply reply = Reply.call(client, "CREATE_INSTANCE", createParams(step), timeout);
    return finish(
        op, reply, reply.ok() ? List.of(reply.result().path("wal_offset").asLong()) : null);
  }

  private boolean apply() {
    String id = lane.pickLive();
    Step step = Step.apply(id, Model.eventFrom(lane.stateOf(id)), lane.newId("e"));
    Op op = history.invoke(List.of(step));
    Reply reply = Reply.call(client, "APPLY_EVENT", applyParams(step), timeout);
    return finish(
        op, reply, reply.ok() ? List.of(reply.result().path("wal_offset").asLong()) : null);
  }

  private boolean batch() {
    String target = lane.pickLive();
    List<Step> steps =
        List.of(
            Step.create(lane.newId("b")),
            Step.create(lane.newId("b")),
            Step.apply(target, Model.eventFrom(lane.stateOf(target)), lane.newId("e")));
    Op op = history.invoke(steps);
    ObjectNode params = JSON.objectNode().put("mode", "atomic");
    ArrayNode ops = params.putArray("ops");
    for (Step s : steps) {
      ObjectNode item = ops.addObject();
      item.put("op", s.kind() == Step.Kind.CREATE ? "CREATE_INSTANCE" : "APPLY_EVENT");
      item.set("params", s.kind() == Step.Kind.CREATE ? createParams(s) : applyParams(s));
    }
    Reply reply = Reply.call(client, "BATCH", params, timeout);
    List<Long> offsets = null;
    if (reply.ok()) {
      offsets = new ArrayList<>();
      for (JsonNode item : reply.result().path("results")) {
        if (!"ok".equals(item.path("status").asText())) {
          throw new AssertionError("atomic batch answered ok with a failed item: " + reply);
        }
        offsets.add(item.path("result").path("wal_offset").asLong());
      }
    }
    return finish(op, reply, offsets);
  }

  private boolean finish(Op op, Reply reply, List<Long> offsets) {
    Outcome.Status status = reply.status();
    switch (status) {
      case OK -> op.complete(Outcome.ok(offsets));
      case FAILED -> op.complete(Outcome.failed(reply.errorCode()));
      case INDETERMINATE ->
          op.complete(
              Outcome.indeterminate(reply.errorCode() != null ? reply.errorCode() : reply.lost()));
    }
    for (Step s : op.steps()) {
      if (s.kind() == Step.Kind.CREATE) {
        if (status == Outcome.Status.OK) {
          lane.moved(s.instanceId(), Model.INITIAL);
        }
      } else if (status == Outcome.Status.OK) {
        lane.moved(s.instanceId(), Model.eventFrom(Model.INITIAL).equals(s.event()) ? "b" : "a");
      } else if (status == Outcome.Status.INDETERMINATE) {
        lane.abandon(s.instanceId());
      }
    }
    return reply.lost() == null || client.isOpen();
  }

  private static ObjectNode createParams(Step s) {
    return JSON.objectNode()
        .put("instance_id", s.instanceId())
        .put("machine", Model.MACHINE)
        .put("version", 1)
        .put("idempotency_key", s.idempotencyKey());
  }

  private ObjectNode applyParams(Step s) {
    ObjectNode params =
        JSON.objectNode()
            .put("instance_id", s.instanceId())
            .put("event", s.event())
            .put("event_id", s.eventId())
            .put("idempotency_key", s.idempotencyKey());
    ObjectNode payload = params.putObject("payload").put("by", s.eventId());
    if (!padding.isEmpty()) {
      payload.put("pad", padding);
    }
    return params;
  }

  /** The PUT_MACHINE params of the workload's machine. */
  static ObjectNode machineParams() {
    ObjectNode params = JSON.objectNode().put("machine", Model.MACHINE).put("version", 1);
    params.set("definition", io.rstmdb.testkit.MachineDefinitions.toggle());
    return params;
  }
}
