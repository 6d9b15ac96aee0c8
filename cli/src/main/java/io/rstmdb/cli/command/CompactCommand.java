package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.HumanBytes;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compact", description = "Snapshot instances and delete WAL segments they cover.")
public final class CompactCommand extends RemoteCommand {

  @Option(
      names = {"-f", "--force"},
      description = "Re-snapshot every instance, even unchanged ones.")
  boolean force;

  public CompactCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("COMPACT", params().put("force_snapshot", force));
    printer.result(
        result,
        out -> {
          out.println("Compaction complete");
          out.println("  snapshots created: " + text(result, "snapshots_created"));
          out.println("  segments deleted:  " + text(result, "segments_deleted"));
          out.println(
              "  bytes reclaimed:   " + HumanBytes.format(result.path("bytes_reclaimed").asLong()));
          out.println("  total snapshots:   " + text(result, "total_snapshots"));
          out.println("  wal segments:      " + text(result, "wal_segments"));
        });
    return ExitCode.OK;
  }
}
