package io.rstmdb.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.Command;
import io.rstmdb.core.api.RejectedCommand;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.Op;
import io.rstmdb.protocol.ProtocolLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns BATCH params into a core {@link Batch} (operations.md §10, decision 5). The batch itself is
 * refused when {@code ops} is missing or longer than the limit; a single item that is malformed,
 * unknown or not one of CREATE_INSTANCE / APPLY_EVENT / DELETE_INSTANCE becomes a {@link
 * RejectedCommand} so that it fails on its own (best effort) or fails the batch (atomic).
 */
final class BatchCommands {

  private final CommandParams commands;

  BatchCommands(CommandParams commands) {
    this.commands = commands;
  }

  Batch parse(JsonNode rawParams) {
    Params params = Params.strict(rawParams);
    boolean atomic = "atomic".equals(params.optionalString("mode"));
    JsonNode ops = params.any("ops");
    if (ops == null || !ops.isArray()) {
      throw RstmdbException.badRequest("missing ops array");
    }
    if (ops.size() > ProtocolLimits.MAX_BATCH_OPS) {
      throw RstmdbException.badRequest(
          "batch size " + ops.size() + " exceeds limit " + ProtocolLimits.MAX_BATCH_OPS);
    }
    List<Command> list = new ArrayList<>(ops.size());
    for (JsonNode item : ops) {
      list.add(item(item));
    }
    return new Batch(atomic, list);
  }

  private Command item(JsonNode item) {
    try {
      if (!item.isObject() || !item.path("op").isTextual()) {
        throw RstmdbException.badRequest("missing op type");
      }
      String name = item.get("op").textValue();
      Op op =
          Op.parse(name)
              .orElseThrow(() -> RstmdbException.badRequest("unknown operation: " + name));
      JsonNode params = item.get("params");
      return switch (op) {
        case CREATE_INSTANCE -> commands.createInstance(params);
        case APPLY_EVENT -> commands.applyEvent(params);
        case DELETE_INSTANCE -> commands.deleteInstance(params);
        default ->
            throw RstmdbException.badRequest(
                name
                    + " is not allowed in a batch (only CREATE_INSTANCE, APPLY_EVENT,"
                    + " DELETE_INSTANCE)");
      };
    } catch (RstmdbException e) {
      return new RejectedCommand(e);
    }
  }
}
