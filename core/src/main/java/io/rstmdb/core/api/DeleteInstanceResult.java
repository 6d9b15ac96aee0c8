package io.rstmdb.core.api;

public record DeleteInstanceResult(String instanceId, boolean deleted, long walOffset) {}
