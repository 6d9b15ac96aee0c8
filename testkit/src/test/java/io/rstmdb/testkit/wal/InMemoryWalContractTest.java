package io.rstmdb.testkit.wal;

import io.rstmdb.core.port.WalPort;
import io.rstmdb.testkit.contract.WalPortContract;

/** The reference adapter honours the whole contract. */
class InMemoryWalContractTest extends WalPortContract {

  @Override
  protected WalPort create() {
    return new InMemoryWal();
  }

  @Override
  protected WalPort reopen(WalPort wal) {
    return ((InMemoryWal) wal).restart();
  }

  @Override
  protected WalPort simulateCrash(WalPort wal) {
    // Every acknowledged append is already "durable" in memory; a crash is a restart.
    return ((InMemoryWal) wal).restart();
  }

  @Override
  protected WalPort createWithSmallUnits() {
    return new InMemoryWal(4);
  }

  @Override
  protected void breakStorage(WalPort wal) {
    ((InMemoryWal) wal).breakStorage();
  }
}
