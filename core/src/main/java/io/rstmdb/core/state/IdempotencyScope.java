package io.rstmdb.core.state;

import java.util.Locale;

/** Which operation an idempotency key belongs to (decision 6). */
public enum IdempotencyScope {
  /** Scoped by (instance id, key). */
  APPLY,
  /** Scoped by (operation, key). */
  CREATE,
  /** Scoped by (operation, key). */
  DELETE;

  /** The lowercase name used in snapshots. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IdempotencyScope fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
