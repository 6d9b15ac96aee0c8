package io.rstmdb.wal;

import java.util.Locale;

/**
 * When the WAL forces written records to stable storage, and therefore when an append's future
 * completes.
 *
 * <ul>
 *   <li>{@link EveryWrite}: a future completes only after its records are fsynced. Appends that
 *       wait together share one fsync (group commit), so this is not one fsync per record.
 *   <li>{@link EveryN}: futures complete once written; an fsync follows whenever at least {@code n}
 *       records were written since the last one. Up to {@code n - 1} acknowledged records may be
 *       lost on a power failure (a process crash loses nothing: the OS holds them).
 *   <li>{@link EveryMs}: futures complete once written; a timer forces written data at most {@code
 *       millis} after it was written. Up to {@code millis} of acknowledged records may be lost on a
 *       power failure.
 *   <li>{@link Never}: futures complete once written; the OS decides when data reaches the disk
 *       (the WAL still fsyncs on rotation and on close).
 * </ul>
 */
public sealed interface FsyncPolicy
    permits FsyncPolicy.EveryWrite, FsyncPolicy.EveryN, FsyncPolicy.EveryMs, FsyncPolicy.Never {

  /** The canonical text: {@code every_write}, {@code every_n:N}, {@code every_ms:N} or never. */
  String describe();

  /** Whether an append's future waits for the fsync of its records. */
  default boolean acknowledgesAfterSync() {
    return false;
  }

  /** Fsync before acknowledging; concurrent appends share one fsync. */
  record EveryWrite() implements FsyncPolicy {
    @Override
    public String describe() {
      return "every_write";
    }

    @Override
    public boolean acknowledgesAfterSync() {
      return true;
    }
  }

  /** Fsync after every {@code n} written records; acknowledge when written. */
  record EveryN(int n) implements FsyncPolicy {
    public EveryN {
      if (n < 1) {
        throw new IllegalArgumentException("every_n needs a positive whole number, got " + n);
      }
    }

    @Override
    public String describe() {
      return "every_n:" + n;
    }
  }

  /** Fsync at most {@code millis} after data was written; acknowledge when written. */
  record EveryMs(long millis) implements FsyncPolicy {
    public EveryMs {
      if (millis < 1) {
        throw new IllegalArgumentException("every_ms needs a positive whole number, got " + millis);
      }
    }

    @Override
    public String describe() {
      return "every_ms:" + millis;
    }
  }

  /** Leave syncing to the OS; acknowledge when written. */
  record Never() implements FsyncPolicy {
    @Override
    public String describe() {
      return "never";
    }
  }

  /**
   * Parses {@code every_write} (or {@code everywrite}), {@code never}, {@code every_n:N} or {@code
   * every_ms:N}, case-insensitively, with optional spaces around the parts.
   *
   * @throws IllegalArgumentException naming the accepted forms, or when N is not a positive whole
   *     number
   */
  static FsyncPolicy parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(
          "fsync policy missing: expected every_write, never, every_n:N or every_ms:N");
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("every_write") || value.equals("everywrite")) {
      return new EveryWrite();
    }
    if (value.equals("never")) {
      return new Never();
    }
    int colon = value.indexOf(':');
    if (colon > 0) {
      String kind = value.substring(0, colon).trim();
      String count = value.substring(colon + 1).trim();
      if (kind.equals("every_n")) {
        return new EveryN((int) positive(kind, count, text, Integer.MAX_VALUE));
      }
      if (kind.equals("every_ms")) {
        return new EveryMs(positive(kind, count, text, Long.MAX_VALUE));
      }
    }
    throw new IllegalArgumentException(
        "unknown fsync policy '"
            + text
            + "': expected every_write, never, every_n:N or every_ms:N");
  }

  private static long positive(String kind, String count, String original, long max) {
    long n;
    try {
      n = Long.parseLong(count);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > max) {
      throw new IllegalArgumentException(
          kind
              + " needs a positive whole number (at most "
              + max
              + "), got '"
              + count
              + "' in '"
              + original
              + "'");
    }
    return n;
  }
}
