package io.rstmdb.server.session;

import java.util.concurrent.TimeUnit;

/**
 * Counts requests received but not yet answered, across all connections, so a graceful shutdown can
 * wait for them before closing connections.
 */
public final class InFlightRequests {

  private int count;

  synchronized void started() {
    count++;
  }

  synchronized void finished() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  /** Requests received and not yet answered. */
  public synchronized int count() {
    return count;
  }

  /**
   * Waits until every request received so far is answered, or the timeout passes.
   *
   * @return whether all were answered
   */
  public synchronized boolean awaitNone(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
