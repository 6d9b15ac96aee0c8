package io.rstmdb.core.guard;

/**
 * The character classes of the guard language, defined as Rust defines them so that the same text
 * is accepted and split the same way as by rstmdb.
 */
final class UnicodeClasses {
  private UnicodeClasses() {}

  /**
   * Unicode White_Space (Rust {@code char::is_whitespace}). Not {@link Character#isWhitespace},
   * which excludes no-break spaces and U+0085 but includes U+001C–U+001F.
   */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /**
   * Rust {@code char::is_alphanumeric} (Alphabetic, or a number of category Nd/Nl/No), '_', '.'.
   */
  static boolean isPathChar(int cp) {
    if (cp == '_' || cp == '.') {
      return true;
    }
    if (Character.isAlphabetic(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }
}
