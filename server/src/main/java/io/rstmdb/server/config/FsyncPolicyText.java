package io.rstmdb.server.config;

import java.util.Locale;

/**
 * The textual fsync policy the configuration accepts and the canonical form it is stored in: {@code
 * every_write}, {@code never}, {@code every_n:N}, {@code every_ms:N} (N ≥ 1). The WAL adapter
 * parses the canonical form.
 */
public final class FsyncPolicyText {

  private FsyncPolicyText() {}

  /**
   * Normalizes a policy written as {@code every_write}/{@code everywrite}, {@code never}, {@code
   * every_n:N} or {@code every_ms:N} (case-insensitive, spaces around parts allowed).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static String normalize(String text) {
    if (text == null) {
      throw new IllegalArgumentException(expected("nothing"));
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("every_write") || value.equals("everywrite")) {
      return "every_write";
    }
    if (value.equals("never")) {
      return "never";
    }
    int colon = value.indexOf(':');
    if (colon > 0) {
      return withCount(value.substring(0, colon).trim(), value.substring(colon + 1).trim(), text);
    }
    throw new IllegalArgumentException(expected("'" + text + "'"));
  }

  /** Builds the canonical form from a kind ({@code every_n}/{@code every_ms}) and its count. */
  public static String withCount(String kind, String count, String original) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (!k.equals("every_n") && !k.equals("every_ms")) {
      throw new IllegalArgumentException(expected("'" + original + "'"));
    }
    long n;
    try {
      n = Long.parseLong(count);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          k + " needs a positive whole number, got '" + count + "' in '" + original + "'");
    }
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          k + " needs a positive whole number, got " + n + " in '" + original + "'");
    }
    return k + ":" + n;
  }

  private static String expected(String got) {
    return "expected every_write, never, every_n:N or every_ms:N (or {every_n: N} / {every_ms: N}),"
        + " got "
        + got;
  }
}
