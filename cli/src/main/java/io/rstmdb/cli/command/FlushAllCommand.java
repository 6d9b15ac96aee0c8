package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;

@Command(
    name = "flush-all",
    description = {
      "Remove every instance and machine.",
      "The server refuses unless storage.allow_flush_all is true."
    })
public final class FlushAllCommand extends RemoteCommand {

  public FlushAllCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("FLUSH_ALL", null);
    printer.result(
        result,
        out ->
            out.println(
                "Flushed: "
                    + text(result, "instances_removed")
                    + " instances and "
                    + text(result, "machines_removed")
                    + " machine versions removed"));
    return ExitCode.OK;
  }
}
