package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get-instance", description = "Show an instance's state and context.")
public final class GetInstanceCommand extends RemoteCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Instance id.")
  String id;

  public GetInstanceCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("GET_INSTANCE", params().put("instance_id", id));
    printer.result(
        result,
        out -> {
          out.println("Instance " + id);
          out.println(
              "  machine:         " + text(result, "machine") + " v" + text(result, "version"));
          out.println("  state:           " + text(result, "state"));
          out.println("  last wal offset: " + text(result, "last_wal_offset"));
          if (result.hasNonNull("last_event_id")) {
            out.println("  last event id:   " + text(result, "last_event_id"));
          }
          out.println("  ctx:");
          for (String line : printer.pretty(result.path("ctx")).split("\n")) {
            out.println("    " + line);
          }
        });
    return ExitCode.OK;
  }
}
