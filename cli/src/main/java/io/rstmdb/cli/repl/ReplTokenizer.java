package io.rstmdb.cli.repl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a REPL line on whitespace. A token that starts with a quote runs to the matching quote (so
 * {@code '{"a": 1}'} is one token); quotes inside a token are kept, so bare JSON such as {@code
 * {"a":1}} passes through untouched.
 */
final class ReplTokenizer {

  private ReplTokenizer() {}

  static List<String> split(String line) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '\'' || c == '"') {
        int end = line.indexOf(c, i + 1);
        if (end < 0) {
          tokens.add(line.substring(i + 1));
          break;
        }
        tokens.add(line.substring(i + 1, end));
        i = end + 1;
        continue;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      tokens.add(line.substring(start, i));
    }
    return tokens;
  }

  /** The raw text after the first {@code skip} whitespace-separated words, trimmed. */
  static String rest(String line, int skip) {
    int i = 0;
    int n = line.length();
    for (int word = 0; word < skip; word++) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
    }
    return line.substring(i).trim();
  }
}
