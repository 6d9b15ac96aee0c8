package io.rstmdb.core.api;

public record PutMachineResult(
    String machine, long version, String storedChecksum, boolean created) {}
