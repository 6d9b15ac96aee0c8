package io.rstmdb.wal;

import io.rstmdb.core.failpoint.Failpoints;
import java.util.Objects;

/**
 * How a {@link SegmentedWal} is run.
 *
 * @param segmentSizeBytes a segment is rotated before it would grow past this (an atomic append
 *     larger than this still goes, alone, into one segment); 64 bytes to 1 GiB
 * @param fsyncPolicy when data is forced to disk and appends are acknowledged
 * @param failpoints crash points for tests ({@code wal.before_write}, {@code wal.after_write},
 *     {@code wal.after_fsync}, {@code wal.rotate.after_seal}, {@code wal.segment.before_rename},
 *     {@code wal.segment.after_rename})
 * @param io the file layer every file operation goes through
 */
public record WalOptions(
    long segmentSizeBytes, FsyncPolicy fsyncPolicy, Failpoints failpoints, FileIo io) {

  /** 64 MiB, the size {@code storage.wal_segment_size_mb} defaults to. */
  public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L * 1024 * 1024;

  /** Recovery reads a damaged tail into memory, so segments are capped at 1 GiB. */
  public static final long MAX_SEGMENT_SIZE_BYTES = 1024L * 1024 * 1024;

  public static final long MIN_SEGMENT_SIZE_BYTES = 64;

  public WalOptions {
    if (segmentSizeBytes < MIN_SEGMENT_SIZE_BYTES || segmentSizeBytes > MAX_SEGMENT_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "WAL segment size must be between "
              + MIN_SEGMENT_SIZE_BYTES
              + " and "
              + MAX_SEGMENT_SIZE_BYTES
              + " bytes, got "
              + segmentSizeBytes);
    }
    Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
    Objects.requireNonNull(failpoints, "failpoints");
    Objects.requireNonNull(io, "io");
  }

  /** 64 MiB segments, {@code every_write}, no failpoints, the real file system. */
  public static WalOptions defaults() {
    return new WalOptions(
        DEFAULT_SEGMENT_SIZE_BYTES, new FsyncPolicy.EveryWrite(), Failpoints.NONE, FileIo.system());
  }

  public WalOptions withSegmentSizeBytes(long bytes) {
    return new WalOptions(bytes, fsyncPolicy, failpoints, io);
  }

  public WalOptions withFsyncPolicy(FsyncPolicy policy) {
    return new WalOptions(segmentSizeBytes, policy, failpoints, io);
  }

  public WalOptions withFailpoints(Failpoints points) {
    return new WalOptions(segmentSizeBytes, fsyncPolicy, points, io);
  }

  public WalOptions withIo(FileIo fileIo) {
    return new WalOptions(segmentSizeBytes, fsyncPolicy, failpoints, fileIo);
  }
}
