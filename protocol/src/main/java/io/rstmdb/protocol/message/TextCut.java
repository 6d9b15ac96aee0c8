package io.rstmdb.protocol.message;

import java.util.Optional;

/**
 * Text a client chose, shortened where it is repeated back (error messages, log lines): the part
 * kept, never ending in half a character, and a note of how much was dropped.
 *
 * @param kept the start of the text
 * @param dropped how many characters (UTF-16 units) followed it
 */
public record TextCut(String kept, int dropped) {

  /**
   * The cut of {@code text} when it is longer than {@code max}, keeping its first {@code keep}
   * characters ({@code keep ≤ max}, so that the note fits); empty when it is short enough.
   */
  public static Optional<TextCut> of(String text, int max, int keep) {
    if (text.length() <= max) {
      return Optional.empty();
    }
    int end = Character.isHighSurrogate(text.charAt(keep - 1)) ? keep - 1 : keep;
    return Optional.of(new TextCut(text.substring(0, end), text.length() - end));
  }

  /** What follows the kept part: {@code "… (N more characters)"}. */
  public String note() {
    return "… (" + dropped + " more characters)";
  }
}
