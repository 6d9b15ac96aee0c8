package io.rstmdb.protocol;

import java.util.Optional;

/** Every operation name a request's {@code op} field may carry (wire.md §4.5, plus FLUSH_ALL). */
public enum Op {
  HELLO,
  AUTH,
  PING,
  BYE,
  INFO,
  PUT_MACHINE,
  GET_MACHINE,
  LIST_MACHINES,
  CREATE_INSTANCE,
  GET_INSTANCE,
  LIST_INSTANCES,
  DELETE_INSTANCE,
  APPLY_EVENT,
  BATCH,
  SNAPSHOT_INSTANCE,
  WAL_READ,
  WAL_STATS,
  COMPACT,
  FLUSH_ALL,
  WATCH_INSTANCE,
  WATCH_ALL,
  UNWATCH;

  /** The name as sent on the wire. */
  public String wireName() {
    return name();
  }

  /**
   * Parses an op name exactly as sent (case-sensitive, no trimming). Unknown names are empty: the
   * server answers them with BAD_REQUEST rather than treating them as framing errors.
   */
  public static Optional<Op> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (Op op : values()) {
      if (op.name().equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
