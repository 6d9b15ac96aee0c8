package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Create an instance.
 *
 * @param instanceId {@code null} to let the database generate a UUID
 * @param initialCtx {@code null} means {@code {}}
 * @param idempotencyKey optional
 */
public record CreateInstance(
    String instanceId, String machine, long version, JsonNode initialCtx, String idempotencyKey)
    implements Command {}
