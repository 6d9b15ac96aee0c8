package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;

@Command(name = "ping", description = "Check that the server answers (prints PONG).")
public final class PingCommand extends RemoteCommand {

  public PingCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("PING", null);
    printer.result(result, out -> out.println("PONG"));
    return ExitCode.OK;
  }
}
