package io.rstmdb.testkit.reliability;

import java.util.List;

/**
 * One client operation in a {@link History}: recorded when invoked, completed once with its {@link
 * Outcome}. An operation never completed (the process died first) counts as indeterminate.
 */
final class Op {
  private final long id;
  private final List<Step> steps;
  private final long invokedNanos = System.nanoTime();
  private volatile Outcome outcome;
  private volatile long completedNanos;

  Op(long id, List<Step> steps) {
    this.id = id;
    this.steps = List.copyOf(steps);
  }

  long id() {
    return id;
  }

  List<Step> steps() {
    return steps;
  }

  boolean atomicBatch() {
    return steps.size() > 1;
  }

  synchronized void complete(Outcome value) {
    if (outcome != null) {
      throw new IllegalStateException("op " + id + " already completed with " + outcome);
    }
    outcome = value;
    completedNanos = System.nanoTime();
  }

  /** {@link System#nanoTime()} when the request was about to be sent. */
  long invokedNanos() {
    return invokedNanos;
  }

  /** {@link System#nanoTime()} when the outcome arrived; 0 if it never did. */
  long completedNanos() {
    return completedNanos;
  }

  Outcome outcome() {
    Outcome o = outcome;
    return o != null ? o : Outcome.indeterminate("never answered");
  }

  Outcome.Status status() {
    return outcome().status();
  }

  /** The wal_offset the server acknowledged for step {@code index}; -1 unless ok. */
  long offsetOf(int index) {
    Outcome o = outcome();
    return o.status() == Outcome.Status.OK && index < o.offsets().size()
        ? o.offsets().get(index)
        : -1;
  }

  @Override
  public String toString() {
    return "op#" + id + steps + "=" + outcome();
  }
}
