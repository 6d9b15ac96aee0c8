package com.example.rstmdb.wal;

import io.rstmdb.core.port.WalPort;
import io.rstmdb.testkit.arch.AdapterRules;
import io.rstmdb.testkit.contract.WalPortContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toy adapter against the same contract the built-in WALs pass. */
class SingleFileWalContractTest extends WalPortContract {
  @TempDir Path dir;

  private int logs;
  private Path current;

  @Override
  protected WalPort create() {
    current = dir.resolve("log-" + (logs++) + ".wal");
    return SingleFileWal.open(current);
  }

  @Override
  protected WalPort reopen(WalPort wal) {
    wal.close();
    return SingleFileWal.open(current);
  }

  /** Every acknowledged append was forced, so a crash is a reopen without a clean close. */
  @Override
  protected WalPort simulateCrash(WalPort wal) {
    return SingleFileWal.open(current);
  }

  @Test
  void adapterFollowsTheHexagon() {
    AdapterRules.check("com.example.rstmdb.wal");
  }
}
