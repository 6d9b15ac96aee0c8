package io.rstmdb.wal.archfixture;

import io.rstmdb.testkit.clock.FakeClock;

/** Violates the adapter rule on purpose: production adapter code built on the test kit. */
public class WalUsesTestkit {
  public long now() {
    return new FakeClock(0).millis();
  }
}
