package io.rstmdb.core.api;

public record CompactResult(
    long snapshotsCreated,
    long segmentsDeleted,
    long bytesReclaimed,
    long totalSnapshots,
    long walSegments) {}
