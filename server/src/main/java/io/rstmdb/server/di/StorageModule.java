package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.datadir.DataDirLock;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/** The WAL and snapshot store: the caller's, or the file adapters under {@code data_dir}. */
@Module
public interface StorageModule {

  @Provides
  @Singleton
  static OwnedResources ownedResources() {
    return new OwnedResources();
  }

  /** Taken before the first file adapter opens, and so released after the last one closes. */
  @Provides
  @Singleton
  static DataDirLock dataDirLock(ServerConfig config, OwnedResources owned) {
    return owned.own(DataDirLock.acquire(config.storage().dataDir()));
  }

  @Provides
  @Singleton
  static WalPort wal(
      ServerConfig config,
      Adapters adapters,
      WalOptions options,
      Provider<DataDirLock> lock,
      OwnedResources owned) {
    return adapters
        .wal()
        .orElseGet(
            () -> {
              lock.get();
              return owned.own(SegmentedWal.open(config.storage().walDir(), options));
            });
  }

  @Provides
  @Singleton
  static SnapshotPort snapshots(
      ServerConfig config, Adapters adapters, Provider<DataDirLock> lock, OwnedResources owned) {
    return adapters
        .snapshots()
        .orElseGet(
            () -> {
              lock.get();
              return owned.own(
                  FileSnapshotStore.open(config.storage().snapshotDir(), adapters.failpoints()));
            });
  }
}
