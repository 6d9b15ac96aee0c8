package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.WholeNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create-instance", description = "Create an instance of a machine version.")
public final class CreateInstanceCommand extends RemoteCommand {

  @Option(
      names = {"-m", "--machine"},
      required = true,
      description = "Machine name.")
  String machine;

  @Option(
      names = {"-V", "--version"},
      required = true,
      converter = WholeNumber.U32.class,
      description = "Machine version (0 to 4294967295).")
  long version;

  @Option(
      names = {"-i", "--id"},
      description = "Instance id (default: the server generates a UUID).")
  String id;

  @Option(
      names = {"-c", "--ctx"},
      paramLabel = "JSON",
      description = "Initial context: JSON inline, @file, or - for standard input.")
  String initialCtx;

  @Option(
      names = "--idempotency-key",
      description = "Retry-safe key: a repeat returns the original.")
  String idempotencyKey;

  public CreateInstanceCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    ObjectNode p = params().put("machine", machine).put("version", version);
    if (id != null) {
      p.put("instance_id", id);
    }
    if (initialCtx != null) {
      p.set("initial_ctx", json().parse(initialCtx, "ctx"));
    }
    if (idempotencyKey != null) {
      p.put("idempotency_key", idempotencyKey);
    }
    JsonNode result = send("CREATE_INSTANCE", p);
    printer.result(
        result,
        out -> {
          out.println("Created instance " + text(result, "instance_id"));
          out.println("  machine:    " + machine + " v" + version);
          out.println("  state:      " + text(result, "state"));
          out.println("  wal offset: " + text(result, "wal_offset"));
        });
    return ExitCode.OK;
  }
}
