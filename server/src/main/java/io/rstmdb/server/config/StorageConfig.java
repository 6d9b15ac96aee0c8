package io.rstmdb.server.config;

import java.nio.file.Path;

/**
 * Where and how data is kept.
 *
 * @param fsyncPolicy canonical text: {@code every_write}, {@code never}, {@code every_n:N} or
 *     {@code every_ms:N} (see {@link FsyncPolicyText})
 * @param maxMachineVersions versions per machine name; 0 = unlimited
 * @param idempotencyRetentionSecs how long idempotency keys are remembered
 */
public record StorageConfig(
    Path dataDir,
    long walSegmentSizeMb,
    String fsyncPolicy,
    int maxMachineVersions,
    boolean allowInstanceRecreate,
    boolean allowFlushAll,
    long idempotencyRetentionSecs) {

  public static StorageConfig defaults() {
    return new StorageConfig(Path.of("./data"), 64, "every_write", 0, false, false, 86_400);
  }

  public Path walDir() {
    return dataDir.resolve("wal");
  }

  public Path snapshotDir() {
    return dataDir.resolve("snapshots");
  }

  public StorageConfig withDataDir(Path value) {
    return new StorageConfig(
        value,
        walSegmentSizeMb,
        fsyncPolicy,
        maxMachineVersions,
        allowInstanceRecreate,
        allowFlushAll,
        idempotencyRetentionSecs);
  }

  public StorageConfig withWalSegmentSizeMb(long value) {
    return new StorageConfig(
        dataDir,
        value,
        fsyncPolicy,
        maxMachineVersions,
        allowInstanceRecreate,
        allowFlushAll,
        idempotencyRetentionSecs);
  }

  /** Accepts any syntax {@link FsyncPolicyText#normalize} accepts. */
  public StorageConfig withFsyncPolicy(String value) {
    return new StorageConfig(
        dataDir,
        walSegmentSizeMb,
        FsyncPolicyText.normalize(value),
        maxMachineVersions,
        allowInstanceRecreate,
        allowFlushAll,
        idempotencyRetentionSecs);
  }

  public StorageConfig withMaxMachineVersions(int value) {
    return new StorageConfig(
        dataDir,
        walSegmentSizeMb,
        fsyncPolicy,
        value,
        allowInstanceRecreate,
        allowFlushAll,
        idempotencyRetentionSecs);
  }

  public StorageConfig withAllowInstanceRecreate(boolean value) {
    return new StorageConfig(
        dataDir,
        walSegmentSizeMb,
        fsyncPolicy,
        maxMachineVersions,
        value,
        allowFlushAll,
        idempotencyRetentionSecs);
  }

  public StorageConfig withAllowFlushAll(boolean value) {
    return new StorageConfig(
        dataDir,
        walSegmentSizeMb,
        fsyncPolicy,
        maxMachineVersions,
        allowInstanceRecreate,
        value,
        idempotencyRetentionSecs);
  }

  public StorageConfig withIdempotencyRetentionSecs(long value) {
    return new StorageConfig(
        dataDir,
        walSegmentSizeMb,
        fsyncPolicy,
        maxMachineVersions,
        allowInstanceRecreate,
        allowFlushAll,
        value);
  }
}
