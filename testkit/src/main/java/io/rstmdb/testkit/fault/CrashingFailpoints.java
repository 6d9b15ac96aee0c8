package io.rstmdb.testkit.fault;

import io.rstmdb.core.failpoint.Failpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link Failpoints} for in-process crash tests: at the chosen point it throws {@link
 * SimulatedCrash} (once) instead of halting the process, and it records every point reached so a
 * test can assert the path taken. After the throw, the test abandons the component without closing
 * it, as a dead process would, and reopens its files.
 *
 * <pre>{@code
 * CrashingFailpoints crash = CrashingFailpoints.at("snapshot.after_rename");
 * FileSnapshotStore store = FileSnapshotStore.open(dir, crash);
 * assertThatThrownBy(() -> writeSnapshot(store)).isInstanceOf(SimulatedCrash.class);
 * FileSnapshotStore reopened = FileSnapshotStore.open(dir, Failpoints.NONE);  // old state
 * }</pre>
 *
 * <p>Thread-safe. Child-process tests use the server's halting failpoints instead.
 */
public final class CrashingFailpoints implements Failpoints {
  /** Thrown at the armed point in place of a process halt. */
  public static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String point) {
      super("simulated crash at failpoint " + point);
    }
  }

  private final String point;
  private final List<String> reached = new ArrayList<>();
  private boolean fired;

  private CrashingFailpoints(String point) {
    this.point = point;
  }

  /** Crashes the first time {@code point} is reached. */
  public static CrashingFailpoints at(String point) {
    return new CrashingFailpoints(Objects.requireNonNull(point, "point"));
  }

  @Override
  public void hit(String name) {
    synchronized (this) {
      reached.add(name);
      if (fired || !name.equals(point)) {
        return;
      }
      fired = true;
    }
    throw new SimulatedCrash(name);
  }

  /** Whether the crash has happened. */
  public synchronized boolean fired() {
    return fired;
  }

  /** Every point reached so far, in order, including the one that crashed. */
  public synchronized List<String> reached() {
    return List.copyOf(reached);
  }
}
