package io.rstmdb.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.PutMachine;

/**
 * Reads the params of the mutating ops into core commands, field by field as operations.md names
 * them. Shared by the standalone ops and BATCH items so both follow the same rules.
 */
final class CommandParams {

  PutMachine putMachine(JsonNode raw) {
    Params p = Params.strict(raw);
    String machine = p.requiredString("machine");
    long version = p.requiredUnsigned("version", Params.U32_MAX);
    JsonNode definition = p.requiredObject("definition");
    return new PutMachine(machine, version, definition, p.optionalString("checksum"));
  }

  CreateInstance createInstance(JsonNode raw) {
    Params p = Params.strict(raw);
    String instanceId = p.optionalString("instance_id");
    String machine = p.requiredString("machine");
    long version = p.requiredUnsigned("version", Params.U32_MAX);
    return new CreateInstance(
        instanceId, machine, version, p.any("initial_ctx"), p.optionalString("idempotency_key"));
  }

  ApplyEvent applyEvent(JsonNode raw) {
    Params p = Params.strict(raw);
    String instanceId = p.requiredString("instance_id");
    String event = p.requiredString("event");
    return new ApplyEvent(
        instanceId,
        event,
        p.any("payload"),
        p.optionalString("expected_state"),
        p.optionalOffset("expected_wal_offset"),
        p.optionalString("event_id"),
        p.optionalString("idempotency_key"));
  }

  DeleteInstance deleteInstance(JsonNode raw) {
    Params p = Params.strict(raw);
    return new DeleteInstance(p.requiredString("instance_id"), p.optionalString("idempotency_key"));
  }

  InstanceQuery listInstances(JsonNode raw) {
    Params p = Params.strict(raw);
    String machine = p.optionalString("machine");
    Long version = p.optionalUnsigned("version", Params.U32_MAX);
    String state = p.optionalString("state");
    Long limit = p.optionalUnsigned("limit", Params.U32_MAX);
    Long offset = p.optionalUnsigned("offset", Params.U32_MAX);
    return new InstanceQuery(
        machine, version, state, limit == null ? 100 : limit, offset == null ? 0 : offset);
  }
}
