package io.rstmdb.core.failpoint;

/**
 * Named places in the write path where a crash test may stop the process (e.g. {@code
 * snapshot.after_rename}). Production code calls {@link #hit} at each point; the default does
 * nothing. The server builds a halting implementation from the {@code rstmdb.failpoints} system
 * property so child-process tests can kill it at an exact step.
 */
@FunctionalInterface
public interface Failpoints {
  /** Called when execution reaches the named point. */
  void hit(String name);

  /** Does nothing at every point. */
  Failpoints NONE = name -> {};
}
