package io.rstmdb.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes a command's answer either as JSON for scripts or as text for people; commands describe
 * both and the {@code --json} flag picks one.
 */
public final class Printer {

  private final PrintStream out;
  private final ObjectMapper mapper;
  private final boolean json;

  public Printer(PrintStream out, ObjectMapper mapper, boolean json) {
    this.out = out;
    this.mapper = mapper;
    this.json = json;
  }

  public boolean json() {
    return json;
  }

  public PrintStream out() {
    return out;
  }

  /** Prints {@code result} as one JSON document with {@code --json}, else runs {@code human}. */
  public void result(JsonNode result, Consumer<PrintStream> human) {
    if (json) {
      out.println(pretty(result));
    } else {
      human.accept(out);
    }
    out.flush();
  }

  /** Indented JSON, as people read definitions and contexts. */
  public String pretty(JsonNode node) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One-line JSON, as streamed events and table cells need. */
  public String compact(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
