package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;

@Command(name = "info", description = "Show the server's name, version, features and limits.")
public final class InfoCommand extends RemoteCommand {

  public InfoCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("INFO", null);
    printer.result(result, out -> out.println(printer.pretty(result)));
    return ExitCode.OK;
  }
}
