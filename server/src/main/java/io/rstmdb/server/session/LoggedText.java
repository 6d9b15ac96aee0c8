package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.node.TextNode;
import io.rstmdb.protocol.message.TextCut;

/**
 * Client-chosen text (request ids, op names, client names) as it goes into a log line: JSON-quoted,
 * so a newline or an escape sequence cannot forge a line or colour a terminal, and cut, so a client
 * cannot write megabytes into one line.
 */
final class LoggedText {
  /** Characters kept before the cut; ids and names in normal use are far shorter. */
  static final int MAX_CHARS = 200;

  private LoggedText() {}

  static String quoted(String text) {
    if (text == null) {
      return "null";
    }
    return TextCut.of(text, MAX_CHARS, MAX_CHARS)
        .map(cut -> TextNode.valueOf(cut.kept()).toString() + cut.note())
        .orElseGet(() -> TextNode.valueOf(text).toString());
  }
}
