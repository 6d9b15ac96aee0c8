package io.rstmdb.cli.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.UsageException;
import io.rstmdb.protocol.message.FiniteNumberNodeFactory;
import io.rstmdb.protocol.message.JsonErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A JSON value given on the command line: inline text, {@code @path} to read a file, or {@code -}
 * to read standard input.
 */
public final class JsonArgument {

  private final ObjectMapper mapper;
  private final InputStream stdin;

  public JsonArgument(ObjectMapper mapper, InputStream stdin) {
    this.mapper = mapper;
    this.stdin = stdin;
  }

  /**
   * Reads and parses the value.
   *
   * @param what names the argument in error messages, e.g. {@code definition}
   * @throws UsageException when the file is missing or the text is not JSON
   */
  public JsonNode parse(String spec, String what) {
    String text = text(spec, what);
    try {
      // The server's request parser refuses numbers beyond double range the same way.
      // Trailing text ('{"a":1}}', '{"a":1} x') is a typo, not something to drop silently.
      JsonNode node =
          mapper
              .reader()
              .with(new FiniteNumberNodeFactory())
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new UsageException(what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new UsageException(
          what + " is not valid JSON: " + JsonErrorText.of(e) + locationOf(e), e);
    } catch (IllegalArgumentException e) {
      throw new UsageException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Like {@link #parse} but insists on a JSON object. */
  public JsonNode parseObject(String spec, String what) {
    JsonNode node = parse(spec, what);
    if (!node.isObject()) {
      throw new UsageException(what + " must be a JSON object");
    }
    return node;
  }

  private String text(String spec, String what) {
    if (spec == null) {
      throw new UsageException(what + " is missing");
    }
    if (spec.equals("-")) {
      try {
        return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageException("cannot read " + what + " from standard input: " + e, e);
      }
    }
    if (spec.startsWith("@")) {
      Path file = Path.of(spec.substring(1));
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UsageException("cannot read " + what + ": no such file " + file, e);
      } catch (IOException e) {
        throw new UsageException(
            "cannot read " + what + " from " + file + ": " + e.getMessage(), e);
      }
    }
    return spec;
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
