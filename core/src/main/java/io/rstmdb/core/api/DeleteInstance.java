package io.rstmdb.core.api;

public record DeleteInstance(String instanceId, String idempotencyKey) implements Command {}
