package io.rstmdb.core.entry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An instance was created (or a deleted one recreated).
 *
 * @param instanceId as given, or the generated UUID
 * @param initialCtx the ctx it starts with ({@code {}} when the client sent none)
 * @param idempotencyKey {@code null} when none was sent
 */
public record CreateInstanceEntry(
    long ts,
    String instanceId,
    String machine,
    long version,
    String initialState,
    JsonNode initialCtx,
    String idempotencyKey)
    implements Entry {}
