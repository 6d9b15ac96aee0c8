package io.rstmdb.protocol.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in words a user can act on, for the server's BAD_REQUEST answers and the
 * CLI's usage errors alike. Jackson's messages name Java types and parser features and quote the
 * input source as {@code [Source: REDACTED ...]}, none of which means anything to someone who
 * mistyped a bracket.
 */
public final class JsonErrorText {

  private record Rule(Pattern pattern, String text) {
    Rule(String regex, String text) {
      this(Pattern.compile(regex, Pattern.DOTALL), text);
    }
  }

  // Jackson's wording is not an API, so every rule here has a case in the CLI's JsonArgumentTest; a
  // message
  // no rule knows still loses its source and class names in clean().
  private static final String CHAR = "Unexpected character \\('(.)' \\(code \\d+\\)\\)";

  private static final List<Rule> RULES =
      List.of(
          new Rule("Unexpected end-of-input: expected close marker for Object.*", "expected '}'"),
          new Rule("Unexpected end-of-input: expected close marker for Array.*", "expected ']'"),
          new Rule(
              "Unexpected end-of-input: was expecting closing quote.*",
              "expected '\"' to close the string"),
          new Rule(
              "Unexpected close marker '(.)': expected '(.)'.*", "unexpected '$1', expected '$2'"),
          new Rule("Unexpected close marker '(.)'.*", "unexpected '$1' with nothing open to close"),
          new Rule(
              CHAR + ": was expecting double-quote to start field name",
              "unexpected $C, expected a field name in double quotes"),
          new Rule(CHAR + ": expected a valid value.*", "unexpected $C, expected a value"),
          new Rule(CHAR + ": was expecting a colon.*", "unexpected $C, expected ':'"),
          new Rule(
              CHAR + ": was expecting comma to separate Object entries",
              "unexpected $C, expected ',' or '}'"),
          new Rule(
              CHAR + ": was expecting comma to separate Array entries",
              "unexpected $C, expected ',' or ']'"),
          new Rule(
              CHAR + ": maybe a \\(non-standard\\) comment.*",
              "unexpected $C, JSON has no comments"),
          new Rule(CHAR + ".*", "unexpected $C"),
          new Rule(
              "Non-standard token '(.*)': enable.*",
              "non-standard token '$1' (JSON numbers are finite)"),
          new Rule(
              "Unrecognized token '(.*)': was expecting.*",
              "unexpected word '$1', expected a value (strings need double quotes)"),
          new Rule("Trailing token.*", "text after the JSON value"));

  private JsonErrorText() {}

  /** One line without Jackson internals, e.g. {@code unexpected end of input, expected '}'}. */
  public static String of(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip();
    String prefix = message.startsWith("Unexpected end-of-input") ? "unexpected end of input" : "";
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(message);
      if (m.matches()) {
        String text = rule.text();
        for (int group = m.groupCount(); group >= 1; group--) {
          text = text.replace("$" + group, m.group(group));
        }
        if (text.contains("$C")) {
          text = text.replace("$C", character(m.group(1))) + hint(m.group(1), text);
        }
        return prefix.isEmpty() ? text : prefix + ", " + text;
      }
    }
    return prefix.isEmpty() ? clean(message) : prefix;
  }

  private static String character(String c) {
    return c.equals("'") ? "\"'\"" : "'" + c + "'";
  }

  /** A single quote is the usual mistake (a shell habit), so say what JSON wants instead. */
  private static String hint(String c, String text) {
    return c.equals("'") && !text.contains("double quotes")
        ? " (JSON strings use double quotes)"
        : "";
  }

  /** Drops source locations and backquoted Java names from a message no rule matched. */
  private static String clean(String message) {
    String text =
        message
            .replaceAll("\\s*\\([^()]*\\[Source:[^\\]]*\\][^()]*\\)", "")
            .replaceAll("\\s*\\([^()]*`[^`]*`[^()]*\\)", "")
            .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
            .replaceAll("\\s*\\(code \\d+\\)", "");
    int tick = text.indexOf('`');
    if (tick >= 0) {
      text = text.substring(0, tick).strip();
    }
    if (text.isEmpty()) {
      return "syntax error";
    }
    return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }
}
