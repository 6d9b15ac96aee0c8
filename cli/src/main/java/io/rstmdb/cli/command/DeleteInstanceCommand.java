package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete-instance",
    description = "Delete an instance (soft delete, recorded in the WAL).")
public final class DeleteInstanceCommand extends RemoteCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Instance id.")
  String id;

  @Option(names = "--idempotency-key", description = "Retry-safe key.")
  String idempotencyKey;

  public DeleteInstanceCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    ObjectNode p = params().put("instance_id", id);
    if (idempotencyKey != null) {
      p.put("idempotency_key", idempotencyKey);
    }
    JsonNode result = send("DELETE_INSTANCE", p);
    printer.result(
        result,
        out ->
            out.println(
                "Deleted instance " + id + " (wal offset " + text(result, "wal_offset") + ")"));
    return ExitCode.OK;
  }
}
