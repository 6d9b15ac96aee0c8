package io.rstmdb.core.port;

/**
 * Metadata of a committed snapshot.
 *
 * @param id unique id, {@code snap-<uuid>}
 * @param kind what it holds
 * @param walOffset the snapshot covers every WAL record with an offset strictly below this one
 * @param createdAt Unix milliseconds, as stamped by the engine
 * @param sizeBytes bytes on storage
 * @param checksum lowercase hex SHA-256 of the stored bytes
 * @param itemCount number of items written
 */
public record SnapshotInfo(
    String id,
    SnapshotKind kind,
    long walOffset,
    long createdAt,
    long sizeBytes,
    String checksum,
    long itemCount) {}
