package io.rstmdb.core.port;

/** What a snapshot holds. */
public enum SnapshotKind {
  /**
   * A complete image of the database state (machines, instances including deleted ones, live
   * idempotency keys) covering every WAL record below its offset. Recovery starts from these.
   */
  STATE,
  /** A point-in-time image of a single instance, taken by {@code SNAPSHOT_INSTANCE}. */
  INSTANCE
}
