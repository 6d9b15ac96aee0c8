package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import jakarta.inject.Singleton;

/** The WAL and snapshot store: the caller's, or the file adapters under {@code data_dir}. */
@Module
public interface StorageModule {

  @Provides
  @Singleton
  static OwnedResources ownedResources() {
    return new OwnedResources();
  }

  @Provides
  @Singleton
  static WalPort wal(
      ServerConfig config, Adapters adapters, WalOptions options, OwnedResources owned) {
    return adapters
        .wal()
        .orElseGet(() -> owned.own(SegmentedWal.open(config.storage().walDir(), options)));
  }

  @Provides
  @Singleton
  static SnapshotPort snapshots(ServerConfig config, Adapters adapters, OwnedResources owned) {
    return adapters
        .snapshots()
        .orElseGet(
            () ->
                owned.own(
                    FileSnapshotStore.open(config.storage().snapshotDir(), adapters.failpoints())));
  }
}
