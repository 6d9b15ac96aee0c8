package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.format.Table;
import java.io.PrintStream;
import picocli.CommandLine.Command;

@Command(
    name = "list-machines",
    description = "List machines with their versions, and the shape of each newest version.")
public final class ListMachinesCommand extends RemoteCommand {

  public ListMachinesCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("LIST_MACHINES", null);
    if (printer.json()) {
      printer.result(result, out -> {});
      return ExitCode.OK;
    }
    print(result, printer.out());
    return ExitCode.OK;
  }

  private void print(JsonNode result, PrintStream out) {
    JsonNode items = result.path("items");
    if (items.size() == 0) {
      out.println("No machines registered");
      return;
    }
    Table table = new Table("MACHINE", "VERSIONS", "NEWEST", "STATES", "TRANSITIONS");
    for (JsonNode item : items) {
      String machine = item.path("machine").asText();
      JsonNode versions = item.path("versions");
      long newest = -1;
      StringBuilder list = new StringBuilder();
      for (JsonNode v : versions) {
        newest = Math.max(newest, v.asLong());
        list.append(list.length() == 0 ? "" : ",").append(v.asText());
      }
      JsonNode def =
          newest < 0
              ? ctx.mapper().createObjectNode()
              : send("GET_MACHINE", params().put("machine", machine).put("version", newest))
                  .path("definition");
      table.row(
          machine,
          list,
          newest < 0 ? "-" : "v" + newest,
          def.path("states").size(),
          def.path("transitions").size());
    }
    table.print(out);
  }
}
