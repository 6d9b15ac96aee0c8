package io.rstmdb.testkit.wal;

import io.rstmdb.testkit.arch.AdapterRules;
import org.junit.jupiter.api.Test;

/** The WAL adapter depends on the core only, as the hexagon requires. */
class WalAdapterRulesTest {

  @Test
  void segmentedWalFollowsTheAdapterRules() {
    AdapterRules.check("io.rstmdb.wal");
  }
}
