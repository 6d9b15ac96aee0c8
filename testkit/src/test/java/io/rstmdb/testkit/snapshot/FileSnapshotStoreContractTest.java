package io.rstmdb.testkit.snapshot;

import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.testkit.contract.SnapshotPortContract;
import io.rstmdb.testkit.fault.FileDamage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreContractTest extends SnapshotPortContract {
  @TempDir Path dataDir;

  private Path snapshotDir() {
    return dataDir.resolve("snapshots");
  }

  @Override
  protected SnapshotPort createStore() {
    return FileSnapshotStore.open(snapshotDir(), Failpoints.NONE);
  }

  @Override
  protected SnapshotPort reopen(SnapshotPort store) {
    store.close();
    return FileSnapshotStore.open(snapshotDir(), Failpoints.NONE);
  }

  @Override
  protected void corrupt(SnapshotPort store, String snapshotId) {
    FileDamage.flipMiddleByte(((FileSnapshotStore) store).pathOf(snapshotId));
  }
}
