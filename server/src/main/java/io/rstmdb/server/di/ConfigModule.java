package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.server.config.CompactionConfig;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.config.StorageConfig;
import io.rstmdb.wal.FsyncPolicy;
import io.rstmdb.wal.WalOptions;

/** Derives each component's settings from the one {@link ServerConfig}. */
@Module
public interface ConfigModule {

  @Provides
  static EngineConfig engineConfig(ServerConfig config) {
    StorageConfig s = config.storage();
    CompactionConfig c = config.compaction();
    return new EngineConfig(
        s.maxMachineVersions(),
        s.allowInstanceRecreate(),
        s.allowFlushAll(),
        Math.max(1, s.idempotencyRetentionSecs()) * 1000,
        new EngineConfig.Compaction(
            c.enabled(),
            c.eventsThreshold(),
            c.sizeThresholdMb() * 1024 * 1024,
            c.minIntervalSecs() * 1000));
  }

  @Provides
  static WalOptions walOptions(ServerConfig config, Adapters adapters) {
    StorageConfig s = config.storage();
    return WalOptions.defaults()
        .withSegmentSizeBytes(s.walSegmentSizeMb() * 1024 * 1024)
        .withFsyncPolicy(FsyncPolicy.parse(s.fsyncPolicy()))
        .withFailpoints(adapters.failpoints());
  }
}
