package io.rstmdb.testkit.snapshot;

import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.testkit.contract.SnapshotPortContract;

class InMemorySnapshotStoreContractTest extends SnapshotPortContract {

  @Override
  protected SnapshotPort createStore() {
    return new InMemorySnapshotStore();
  }

  @Override
  protected SnapshotPort reopen(SnapshotPort store) {
    return ((InMemorySnapshotStore) store).reopen();
  }

  @Override
  protected void corrupt(SnapshotPort store, String snapshotId) {
    ((InMemorySnapshotStore) store).corrupt(snapshotId);
  }
}
