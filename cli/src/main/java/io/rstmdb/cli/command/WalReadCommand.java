package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.WholeNumber;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "wal-read",
    description = {
      "Read WAL records from an offset.",
      "Without --limit the whole WAL from the offset is read, page by page."
    })
public final class WalReadCommand extends RemoteCommand {

  /** The server's largest page (WAL_READ limit maximum). */
  static final int PAGE = 1000;

  @Option(
      names = {"-f", "--from", "--from-offset"},
      paramLabel = "OFFSET",
      converter = WholeNumber.NonNegative.class,
      description = "First offset to read (default 0).")
  long from;

  @Option(
      names = {"-l", "--limit"},
      paramLabel = "N",
      converter = WholeNumber.NonNegative.class,
      description = "Read at most N records in one request (server maximum 1000).")
  Long limit;

  public WalReadCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = limit != null ? page(from, limit) : everything();
    printer.result(result, out -> print(result, out));
    return ExitCode.OK;
  }

  private JsonNode page(long fromOffset, long max) {
    return send("WAL_READ", params().put("from_offset", fromOffset).put("limit", max));
  }

  /** Pages until the server has nothing more, and answers as if it were one big read. */
  private JsonNode everything() {
    ArrayNode records = ctx.mapper().createArrayNode();
    long offset = from;
    JsonNode next;
    while (true) {
      JsonNode page = page(offset, PAGE);
      records.addAll((ArrayNode) page.path("records"));
      next = page.path("next_offset");
      if (page.path("records").size() < PAGE || !next.canConvertToLong()) {
        break;
      }
      offset = next.asLong();
    }
    ObjectNode result = params();
    result.set("records", records);
    result.set("next_offset", next);
    return result;
  }

  private static void print(JsonNode result, PrintStream out) {
    for (JsonNode record : result.path("records")) {
      out.println(line(record));
    }
    out.println("Next offset: " + text(result, "next_offset"));
  }

  /** {@code [seq] offset | type details}, e.g. {@code [3] 2 | apply_event o-1: a --PAY--> b}. */
  static String line(JsonNode record) {
    JsonNode entry = record.path("entry");
    String type = entry.path("type").asText("?");
    StringBuilder line =
        new StringBuilder()
            .append('[')
            .append(text(record, "sequence"))
            .append("] ")
            .append(text(record, "offset"))
            .append(" | ")
            .append(type);
    switch (type) {
      case "put_machine":
        line.append(' ').append(text(entry, "machine")).append(" v").append(text(entry, "version"));
        break;
      case "create_instance":
        line.append(' ')
            .append(text(entry, "instance_id"))
            .append(" (")
            .append(text(entry, "machine"))
            .append(" v")
            .append(text(entry, "version"))
            .append(") -> ")
            .append(text(entry, "initial_state"));
        break;
      case "apply_event":
        line.append(' ')
            .append(text(entry, "instance_id"))
            .append(": ")
            .append(text(entry, "from_state"))
            .append(" --")
            .append(text(entry, "event"))
            .append("--> ")
            .append(text(entry, "to_state"));
        break;
      case "delete_instance":
        line.append(' ').append(text(entry, "instance_id"));
        break;
      default:
        break;
    }
    return line.toString();
  }
}
