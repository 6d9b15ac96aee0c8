package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.format.Table;
import io.rstmdb.cli.input.WholeNumber;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list-instances", description = "List live instances, filtered and paged.")
public final class ListInstancesCommand extends RemoteCommand {

  @Option(names = "--machine", description = "Only instances of this machine.")
  String machine;

  @Option(names = "--state", description = "Only instances in this state.")
  String state;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = WholeNumber.U32.class,
      description = "Page size, 0 to 4294967295 (server default 100).")
  Long limit;

  @Option(
      names = "--offset",
      paramLabel = "N",
      converter = WholeNumber.U32.class,
      description = "Instances to skip, 0 to 4294967295 (default 0).")
  Long offset;

  public ListInstancesCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    ObjectNode p = params();
    if (machine != null) {
      p.put("machine", machine);
    }
    if (state != null) {
      p.put("state", state);
    }
    if (limit != null) {
      p.put("limit", limit);
    }
    if (offset != null) {
      p.put("offset", offset);
    }
    JsonNode result = send("LIST_INSTANCES", p);
    printer.result(
        result,
        out -> {
          JsonNode instances = result.path("instances");
          if (instances.size() > 0) {
            Table table =
                new Table("ID", "MACHINE", "VERSION", "STATE", "LAST_WAL_OFFSET", "UPDATED_AT");
            for (JsonNode i : instances) {
              table.row(
                  text(i, "id"),
                  text(i, "machine"),
                  text(i, "version"),
                  text(i, "state"),
                  text(i, "last_wal_offset"),
                  i.hasNonNull("updated_at")
                      ? Instant.ofEpochMilli(i.path("updated_at").asLong()).toString()
                      : "-");
            }
            table.print(out);
          }
          long first = offset == null ? 0 : offset;
          long total = result.path("total").asLong();
          out.println(
              instances.size() == 0
                  ? "No instances (total " + total + ")"
                  : "Showing "
                      + (first + 1)
                      + "-"
                      + (first + instances.size())
                      + " of "
                      + total
                      + (result.path("has_more").asBoolean()
                          ? " (more: --offset " + (first + instances.size()) + ")"
                          : ""));
        });
    return ExitCode.OK;
  }
}
