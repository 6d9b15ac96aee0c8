package io.rstmdb.server.config;

/** Automatic compaction; a threshold of 0 switches that trigger off. */
public record CompactionConfig(
    boolean enabled, long eventsThreshold, long sizeThresholdMb, long minIntervalSecs) {

  public static CompactionConfig defaults() {
    return new CompactionConfig(true, 10_000, 100, 60);
  }

  public CompactionConfig withEnabled(boolean value) {
    return new CompactionConfig(value, eventsThreshold, sizeThresholdMb, minIntervalSecs);
  }
}
