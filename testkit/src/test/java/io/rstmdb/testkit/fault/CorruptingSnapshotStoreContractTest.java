package io.rstmdb.testkit.fault;

import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.testkit.contract.SnapshotPortContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper is transparent until told to damage something, so it passes the whole contract. */
class CorruptingSnapshotStoreContractTest extends SnapshotPortContract {
  @TempDir Path dir;

  @Override
  protected SnapshotPort createStore() {
    return CorruptingSnapshotStore.wrap(FileSnapshotStore.open(dir, Failpoints.NONE));
  }

  @Override
  protected SnapshotPort reopen(SnapshotPort store) {
    store.close();
    return createStore();
  }

  @Override
  protected void corrupt(SnapshotPort store, String snapshotId) {
    ((CorruptingSnapshotStore) store).truncate(snapshotId, 10);
  }
}
