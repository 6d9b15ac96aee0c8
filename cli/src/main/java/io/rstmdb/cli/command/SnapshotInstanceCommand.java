package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.HumanBytes;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "snapshot-instance", description = "Write a snapshot of one instance.")
public final class SnapshotInstanceCommand extends RemoteCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Instance id.")
  String id;

  public SnapshotInstanceCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("SNAPSHOT_INSTANCE", params().put("instance_id", id));
    printer.result(
        result,
        out -> {
          out.println("Snapshot " + text(result, "snapshot_id") + " of instance " + id);
          out.println("  wal offset: " + text(result, "wal_offset"));
          if (result.hasNonNull("size_bytes")) {
            out.println("  size:       " + HumanBytes.format(result.path("size_bytes").asLong()));
          }
          if (result.hasNonNull("checksum")) {
            out.println("  checksum:   " + text(result, "checksum"));
          }
        });
    return ExitCode.OK;
  }
}
