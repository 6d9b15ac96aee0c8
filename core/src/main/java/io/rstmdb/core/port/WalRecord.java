package io.rstmdb.core.port;

import java.util.Objects;

/**
 * A durable entry together with the offset the log gave it. Offsets are dense: the first record
 * ever written has offset 0, each later one adds one, and an offset is never reused.
 *
 * <p>A log may hand out records whose entry is read from its stored bytes only when first asked for
 * ({@link #stored}); such a record can also give those bytes ({@link #storedBody}), so a reader
 * that only passes the entry on (WAL_READ) need not build a JSON tree.
 */
public final class WalRecord {
  private final long offset;
  private final WalEntry entry;
  private final Stored stored;

  /** A record holding an entry already in memory. */
  public WalRecord(long offset, WalEntry entry) {
    this(offset, entry, null);
  }

  private WalRecord(long offset, WalEntry entry, Stored stored) {
    this.offset = offset;
    this.entry = entry;
    this.stored = stored;
  }

  /** A record whose entry comes from {@code stored} when first asked for. */
  public static WalRecord stored(long offset, Stored stored) {
    return new WalRecord(offset, null, Objects.requireNonNull(stored, "stored"));
  }

  public long offset() {
    return offset;
  }

  /**
   * The entry. For a {@link #stored} record this may parse the stored bytes.
   *
   * @throws io.rstmdb.core.error.RstmdbException with {@code WAL_IO_ERROR} when the stored bytes do
   *     not hold an entry
   */
  public WalEntry entry() {
    return stored == null ? entry : stored.entry();
  }

  /** The record's sequence number, which is always {@code offset + 1}. */
  public long sequence() {
    return offset + 1;
  }

  /**
   * The entry's body as the log stored it: UTF-8 JSON that a default Jackson {@code ObjectMapper}
   * reads as a tree equal to {@code entry().body()}. Null when the log has no such bytes at hand.
   * The array is shared: never modify it.
   */
  public byte[] storedBody() {
    return stored == null ? null : stored.body();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WalRecord r && r.offset == offset && Objects.equals(r.entry(), entry());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Objects.hashCode(entry());
  }

  @Override
  public String toString() {
    return "WalRecord[offset=" + offset + ", entry=" + entry() + "]";
  }

  /**
   * Where a {@link #stored} record's entry and bytes come from. Implementations are thread-safe.
   */
  public interface Stored {
    /**
     * The entry, read from the stored bytes (the same instance on every call).
     *
     * @throws io.rstmdb.core.error.RstmdbException with {@code WAL_IO_ERROR} when the bytes do not
     *     hold an entry
     */
    WalEntry entry();

    /** See {@link WalRecord#storedBody()}; null when not available. */
    byte[] body();
  }
}
