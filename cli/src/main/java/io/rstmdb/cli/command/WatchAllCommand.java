package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "watch-all",
    description = "Stream every matching transition as JSON lines (filters are comma-separated).")
public final class WatchAllCommand extends WatchCommand {

  @Option(names = "--machines", split = ",", paramLabel = "A,B", description = "Machine names.")
  List<String> machines;

  @Option(names = "--from-states", split = ",", paramLabel = "S,T", description = "From states.")
  List<String> fromStates;

  @Option(names = "--to-states", split = ",", paramLabel = "S,T", description = "To states.")
  List<String> toStates;

  @Option(names = "--events", split = ",", paramLabel = "E,F", description = "Event names.")
  List<String> events;

  public WatchAllCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected String op() {
    return "WATCH_ALL";
  }

  @Override
  protected ObjectNode watchParams() {
    ObjectNode p = params();
    putList(p, "machines", machines);
    putList(p, "from_states", fromStates);
    putList(p, "to_states", toStates);
    putList(p, "events", events);
    return p;
  }

  private static void putList(ObjectNode p, String field, List<String> values) {
    if (values != null && !values.isEmpty()) {
      ArrayNode array = p.putArray(field);
      values.forEach(array::add);
    }
  }

  @Override
  protected long liveStart(JsonNode result) {
    return result.path("wal_offset").asLong(); // the head: the next record's offset
  }

  @Override
  protected String describe(JsonNode result) {
    String head = text(result, "wal_offset");
    // A replay says where it starts: "from WAL offset <head>" read as if nothing older came.
    return "Watching all instances from WAL offset "
        + (fromOffset == null ? head : fromOffset + ", live from " + head);
  }
}
