package io.rstmdb.snapshot;

import io.rstmdb.core.failpoint.Failpoints;

/**
 * A failpoint that "crashes" by throwing at one named point, standing in for the halting failpoint
 * the server uses in child-process tests. The test then abandons the store without closing it, as a
 * dead process would, and reopens the directory.
 */
final class CrashAt implements Failpoints {
  /** Thrown in place of a process halt. */
  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String point) {
      super("simulated crash at " + point);
    }
  }

  private final String point;
  private volatile boolean armed = true;

  CrashAt(String point) {
    this.point = point;
  }

  @Override
  public void hit(String name) {
    if (armed && name.equals(point)) {
      armed = false;
      throw new SimulatedCrash(name);
    }
  }
}
