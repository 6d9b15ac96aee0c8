package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.WholeNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put-machine", description = "Register a machine definition version.")
public final class PutMachineCommand extends RemoteCommand {

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

  @Parameters(
      index = "0",
      paramLabel = "DEFINITION",
      description = "Definition JSON inline, @file.json, or - for standard input.")
  String definition;

  public PutMachineCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode def = json().parseObject(definition, "definition");
    JsonNode result =
        send(
            "PUT_MACHINE",
            params().put("machine", name).put("version", version).set("definition", def));
    printer.result(result, out -> out.println(describe(result, name, version)));
    return ExitCode.OK;
  }

  static String describe(JsonNode result, String name, long version) {
    String verb = result.path("created").asBoolean(false) ? "Created" : "Already exists";
    return verb
        + " machine "
        + name
        + " v"
        + version
        + " (checksum: "
        + text(result, "stored_checksum")
        + ")";
  }
}
