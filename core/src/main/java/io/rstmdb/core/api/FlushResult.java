package io.rstmdb.core.api;

public record FlushResult(long instancesRemoved, long machinesRemoved) {}
