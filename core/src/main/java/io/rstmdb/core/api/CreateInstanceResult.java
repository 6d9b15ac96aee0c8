package io.rstmdb.core.api;

public record CreateInstanceResult(String instanceId, String state, long walOffset) {}
