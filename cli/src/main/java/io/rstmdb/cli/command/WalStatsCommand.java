package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.HumanBytes;
import io.rstmdb.cli.format.Printer;
import java.io.PrintStream;
import picocli.CommandLine.Command;

@Command(name = "wal-stats", description = "Show WAL size, record count and I/O counters.")
public final class WalStatsCommand extends RemoteCommand {

  public WalStatsCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("WAL_STATS", null);
    printer.result(result, out -> print(result, out));
    return ExitCode.OK;
  }

  static void print(JsonNode stats, PrintStream out) {
    JsonNode io = stats.path("io_stats");
    out.println("WAL statistics");
    out.println("  entries:        " + text(stats, "entry_count"));
    out.println("  segments:       " + text(stats, "segment_count"));
    out.println(
        "  total size:     "
            + HumanBytes.format(stats.path("total_size_bytes").asLong())
            + " ("
            + text(stats, "total_size_bytes")
            + " bytes)");
    out.println("  latest offset:  " + text(stats, "latest_offset"));
    out.println("  I/O since start:");
    out.println("    bytes written: " + HumanBytes.format(io.path("bytes_written").asLong()));
    out.println("    bytes read:    " + HumanBytes.format(io.path("bytes_read").asLong()));
    out.println("    writes:        " + text(io, "writes"));
    out.println("    reads:         " + text(io, "reads"));
    out.println("    fsyncs:        " + text(io, "fsyncs"));
  }
}
