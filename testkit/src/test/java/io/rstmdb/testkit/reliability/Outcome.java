package io.rstmdb.testkit.reliability;

import java.util.List;

/**
 * How an operation ended, as the client saw it.
 *
 * @param status ok, failed (a definite error answer) or indeterminate
 * @param offsets the wal_offset of each step when ok (same order as the steps), else empty
 * @param errorCode the error code of a failure, or the reason an outcome is unknown
 */
record Outcome(Status status, List<Long> offsets, String errorCode) {

  enum Status {
    /** Acknowledged: the effect must survive anything. */
    OK,
    /** Refused with an error that guarantees nothing was written: the effect must never appear. */
    FAILED,
    /**
     * Unknown: timed out, the connection dropped, or the server reported a storage failure (after a
     * failed fsync the bytes may still reach the disk). Whole or absent, never half.
     */
    INDETERMINATE
  }

  static Outcome ok(List<Long> offsets) {
    return new Outcome(Status.OK, List.copyOf(offsets), null);
  }

  static Outcome failed(String code) {
    return new Outcome(Status.FAILED, List.of(), code);
  }

  static Outcome indeterminate(String reason) {
    return new Outcome(Status.INDETERMINATE, List.of(), reason);
  }
}
