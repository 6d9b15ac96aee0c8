package io.rstmdb.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
    return name == null ? Optional.empty() : Optional.ofNullable(ByName.OPS.get(name));
  }

  /**
   * Every op by its wire name. {@code values()} clones its array on each call, and every request
   * parses its op: that clone was ~4 % of the server's allocation (docs/performance.md).
   */
  private static final class ByName {
    static final Map<String, Op> OPS =
        Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Op::name, op -> op));
  }
}
