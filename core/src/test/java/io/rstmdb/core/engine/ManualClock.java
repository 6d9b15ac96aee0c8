package io.rstmdb.core.engine;

import io.rstmdb.core.port.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
final class ManualClock implements Clock {
  private final AtomicLong now;

  ManualClock(long start) {
    now = new AtomicLong(start);
  }

  @Override
  public long millis() {
    return now.get();
  }

  void advance(long millis) {
    now.addAndGet(millis);
  }
}
