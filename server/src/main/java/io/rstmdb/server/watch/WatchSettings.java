package io.rstmdb.server.watch;

/**
 * Limits of the watch streams.
 *
 * @param maxSubscriptionsPerConnection further WATCH_* requests on a connection get BAD_REQUEST; 0
 *     means no limit (like {@code storage.max_machine_versions})
 * @param queueCapacity live events a subscription may hold while its channel is busy; one more and
 *     it falls back to reading the WAL, so memory stays bounded however slow the reader
 * @param readChunk WAL records fetched per read while catching up (1..1000)
 */
public record WatchSettings(int maxSubscriptionsPerConnection, int queueCapacity, int readChunk) {
  public static final int DEFAULT_QUEUE_CAPACITY = 1024;
  public static final int DEFAULT_READ_CHUNK = 256;

  public WatchSettings {
    if (maxSubscriptionsPerConnection < 0) {
      throw new IllegalArgumentException("maxSubscriptionsPerConnection must be >= 0");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1");
    }
    if (readChunk < 1 || readChunk > 1000) {
      throw new IllegalArgumentException("readChunk must be in 1..1000");
    }
  }

  /** Whether one more subscription fits next to {@code open} others on a connection. */
  boolean allows(int open) {
    return maxSubscriptionsPerConnection == 0 || open <= maxSubscriptionsPerConnection;
  }

  /** Default queue and chunk sizes with the given per-connection limit. */
  public static WatchSettings withMaxSubscriptions(int maxSubscriptionsPerConnection) {
    return new WatchSettings(
        maxSubscriptionsPerConnection, DEFAULT_QUEUE_CAPACITY, DEFAULT_READ_CHUNK);
  }
}
