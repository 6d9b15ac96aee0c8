package io.rstmdb.core.port;

/**
 * A truthful picture of the log now.
 *
 * @param entryCount records currently readable (retained and durable)
 * @param segmentCount storage units (files, for the segmented WAL) currently held
 * @param totalSizeBytes real bytes those units occupy now
 * @param latestOffset offset of the newest record, or {@code -1} when the log holds none
 * @param io counters of real I/O operations since the log was opened
 */
public record WalStats(
    long entryCount, long segmentCount, long totalSizeBytes, long latestOffset, IoStats io) {

  /** Process-lifetime I/O counters. */
  public record IoStats(long bytesWritten, long bytesRead, long writes, long reads, long fsyncs) {}
}
