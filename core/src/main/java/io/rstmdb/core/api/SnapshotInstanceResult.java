package io.rstmdb.core.api;

public record SnapshotInstanceResult(
    String instanceId, String snapshotId, long walOffset, long sizeBytes, String checksum) {}
