package io.rstmdb.core.engine;

import java.util.Objects;

/**
 * What the engine lets clients do and when it compacts on its own.
 *
 * @param maxMachineVersions most versions per machine name; 0 = unlimited
 * @param allowInstanceRecreate whether CREATE_INSTANCE may reuse a deleted instance's id (decision
 *     15)
 * @param allowFlushAll whether FLUSH_ALL runs (decision 12); refused with BAD_REQUEST otherwise
 * @param idempotencyRetentionMillis how long an idempotency key is honoured after its write
 * @param compaction automatic compaction
 */
public record EngineConfig(
    int maxMachineVersions,
    boolean allowInstanceRecreate,
    boolean allowFlushAll,
    long idempotencyRetentionMillis,
    Compaction compaction) {

  public static final long DEFAULT_RETENTION_MILLIS = 24L * 60 * 60 * 1000;

  public EngineConfig {
    if (maxMachineVersions < 0) {
      throw new IllegalArgumentException("maxMachineVersions must be >= 0");
    }
    if (idempotencyRetentionMillis <= 0) {
      throw new IllegalArgumentException("idempotencyRetentionMillis must be > 0");
    }
    Objects.requireNonNull(compaction, "compaction");
  }

  /** Unlimited versions, no recreate, no FLUSH_ALL, 24 h key retention, default compaction. */
  public static EngineConfig defaults() {
    return new EngineConfig(0, false, false, DEFAULT_RETENTION_MILLIS, Compaction.defaults());
  }

  public EngineConfig withMaxMachineVersions(int value) {
    return new EngineConfig(
        value, allowInstanceRecreate, allowFlushAll, idempotencyRetentionMillis, compaction);
  }

  public EngineConfig withAllowInstanceRecreate(boolean value) {
    return new EngineConfig(
        maxMachineVersions, value, allowFlushAll, idempotencyRetentionMillis, compaction);
  }

  public EngineConfig withAllowFlushAll(boolean value) {
    return new EngineConfig(
        maxMachineVersions, allowInstanceRecreate, value, idempotencyRetentionMillis, compaction);
  }

  public EngineConfig withIdempotencyRetentionMillis(long value) {
    return new EngineConfig(
        maxMachineVersions, allowInstanceRecreate, allowFlushAll, value, compaction);
  }

  public EngineConfig withCompaction(Compaction value) {
    return new EngineConfig(
        maxMachineVersions,
        allowInstanceRecreate,
        allowFlushAll,
        idempotencyRetentionMillis,
        value);
  }

  /**
   * Automatic compaction: it runs once {@code minIntervalMillis} passed since the last one AND
   * either threshold (when {@code > 0}) is reached.
   *
   * @param eventsThreshold WAL entries written since the last compaction; 0 disables this trigger
   * @param sizeThresholdBytes WAL size on storage; 0 disables this trigger
   */
  public record Compaction(
      boolean enabled, long eventsThreshold, long sizeThresholdBytes, long minIntervalMillis) {

    public Compaction {
      if (eventsThreshold < 0 || sizeThresholdBytes < 0 || minIntervalMillis < 0) {
        throw new IllegalArgumentException("compaction thresholds must be >= 0");
      }
    }

    /** Enabled, 10 000 events, 100 MiB, at most once a minute. */
    public static Compaction defaults() {
      return new Compaction(true, 10_000, 100L * 1024 * 1024, 60_000);
    }

    /** Never compacts on its own. */
    public static Compaction disabled() {
      return new Compaction(false, 0, 0, 0);
    }

    /** Whether any automatic run can ever happen. */
    public boolean active() {
      return enabled && (eventsThreshold > 0 || sizeThresholdBytes > 0);
    }
  }
}
