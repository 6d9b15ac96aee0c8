package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch-instance",
    description = "Stream one instance's transitions as JSON lines (status on stderr).")
public final class WatchInstanceCommand extends WatchCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Instance id.")
  String id;

  public WatchInstanceCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected String op() {
    return "WATCH_INSTANCE";
  }

  @Override
  protected ObjectNode watchParams() {
    return params().put("instance_id", id);
  }

  @Override
  protected long liveStart(JsonNode result) {
    return result.path("current_wal_offset").asLong() + 1; // right after the state it showed
  }

  @Override
  protected String describe(JsonNode result) {
    return "Watching instance "
        + id
        + " in state "
        + text(result, "current_state")
        + " at offset "
        + text(result, "current_wal_offset")
        + (fromOffset != null ? ", replaying from WAL offset " + fromOffset + " first" : "");
  }
}
