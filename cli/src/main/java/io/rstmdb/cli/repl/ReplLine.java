package io.rstmdb.cli.repl;

import io.rstmdb.cli.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * A REPL line split into words. A word that starts with a quote runs to the matching quote (so
 * {@code '{"a": 1}'} is one word); quotes inside a word are kept, so bare JSON such as {@code
 * {"a":1}} passes through untouched.
 *
 * <p>Each word remembers where it starts, because a short command's JSON may be given bare with
 * spaces ({@code c m 1 o-1 {"a": 1}}): that JSON is the raw rest of the line, and splitting it into
 * words would break it. An unclosed quote is an error only for a word that is used as a word:
 * inside such bare JSON an apostrophe ({@code {"t": "it is 'ok"}}) must stay harmless.
 */
final class ReplLine {

  private record Word(String text, int start, boolean quoted, boolean closed) {}

  private final String raw;
  private final List<Word> words;

  private ReplLine(String raw, List<Word> words) {
    this.raw = raw;
    this.words = words;
  }

  static ReplLine parse(String raw) {
    List<Word> words = new ArrayList<>();
    int i = 0;
    int n = raw.length();
    while (i < n) {
      char c = raw.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '\'' || c == '"') {
        int end = raw.indexOf(c, i + 1);
        if (end < 0) {
          words.add(new Word(raw.substring(i + 1), i, true, false));
          break;
        }
        words.add(new Word(raw.substring(i + 1, end), i, true, true));
        i = end + 1;
        continue;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(raw.charAt(i))) {
        i++;
      }
      words.add(new Word(raw.substring(start, i), start, false, true));
    }
    return new ReplLine(raw, List.copyOf(words));
  }

  int size() {
    return words.size();
  }

  /**
   * The word at {@code index}, without its quotes.
   *
   * @throws UsageException when its quote is never closed
   */
  String word(int index) {
    Word w = words.get(index);
    if (!w.closed()) {
      throw new UsageException("unclosed quote: " + raw.substring(w.start()));
    }
    return w.text();
  }

  /** Every word, as a one-shot command line gets them. */
  List<String> words() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      all.add(word(i));
    }
    return all;
  }

  /** Whether the last word is {@code text} written bare (a quoted word is an argument). */
  boolean endsWith(String text) {
    Word last = words.get(words.size() - 1);
    return !last.quoted() && last.text().equals(text);
  }

  /** The line without its last word. */
  ReplLine withoutLast() {
    Word last = words.get(words.size() - 1);
    return new ReplLine(
        raw.substring(0, last.start()).stripTrailing(), words.subList(0, words.size() - 1));
  }

  /**
   * The argument that runs from word {@code index} to the end of the line: a quoted word on its
   * own, or else the raw text, so bare JSON keeps its spaces.
   *
   * @throws UsageException for an unclosed quote or text after the quoted word
   */
  String rest(int index) {
    Word first = words.get(index);
    if (!first.quoted()) {
      return raw.substring(first.start()).strip();
    }
    String value = word(index);
    if (index + 1 < words.size()) {
      throw new UsageException(
          "unexpected text after the quoted argument: "
              + raw.substring(words.get(index + 1).start()));
    }
    return value;
  }
}
