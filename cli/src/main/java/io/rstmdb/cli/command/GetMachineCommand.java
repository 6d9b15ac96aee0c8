package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.WholeNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "get-machine", description = "Show one machine definition version.")
public final class GetMachineCommand extends RemoteCommand {

  @Option(
      names = {"-n", "--name"},
      required = true,
      description = "Machine name.")
  String name;

  @Option(
      names = {"-v", "--version"},
      required = true,
      converter = WholeNumber.U32.class,
      description = "Machine version (0 to 4294967295).")
  long version;

  public GetMachineCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("GET_MACHINE", params().put("machine", name).put("version", version));
    printer.result(
        result,
        out -> {
          out.println(
              "Machine " + name + " v" + version + " (checksum: " + text(result, "checksum") + ")");
          out.println(printer.pretty(result.path("definition")));
        });
    return ExitCode.OK;
  }
}
