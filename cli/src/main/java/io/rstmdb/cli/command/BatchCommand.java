package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.UsageException;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "batch",
    description = {
      "Run up to 100 CREATE_INSTANCE / APPLY_EVENT / DELETE_INSTANCE ops in one request.",
      "Input: {\"mode\":\"atomic\"|\"best_effort\",\"ops\":[{\"op\":..,\"params\":{..}}]} or a bare"
          + " ops array. Exit code 1 when any item failed."
    })
public final class BatchCommand extends RemoteCommand {

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "A JSON file path, @file, - for standard input, or inline JSON.")
  String source;

  @Option(names = "--atomic", description = "All or nothing (overrides the input's mode).")
  boolean atomic;

  public BatchCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode request = request(json().parse(spec(source), "batch"));
    JsonNode result = send("BATCH", request);
    JsonNode results = result.path("results");
    boolean anyFailed = false;
    for (JsonNode item : results) {
      anyFailed |= !"ok".equals(item.path("status").asText());
    }
    printer.result(
        result,
        out -> {
          int index = 0;
          for (JsonNode item : results) {
            JsonNode error = item.path("error");
            out.println(
                "["
                    + index++
                    + "] "
                    + ("ok".equals(item.path("status").asText())
                        ? "ok " + printer.compact(item.path("result"))
                        : "error " + text(error, "code") + ": " + text(error, "message")));
          }
        });
    return anyFailed ? ExitCode.SERVER_ERROR : ExitCode.OK;
  }

  private ObjectNode request(JsonNode input) {
    ObjectNode p = params();
    if (input.isArray()) {
      p.put("mode", atomic ? "atomic" : "best_effort");
      p.set("ops", input);
      return p;
    }
    if (!input.isObject() || !input.path("ops").isArray()) {
      throw new UsageException("batch must be an ops array or an object with an \"ops\" array");
    }
    p.put("mode", atomic ? "atomic" : input.path("mode").asText("best_effort"));
    p.set("ops", input.path("ops"));
    return p;
  }

  /** A bare path means a file, so scripts can write {@code batch ops.json}. */
  private static String spec(String source) {
    String trimmed = source.trim();
    if (source.equals("-")
        || source.startsWith("@")
        || trimmed.startsWith("{")
        || trimmed.startsWith("[")) {
      return source;
    }
    return "@" + source;
  }
}
