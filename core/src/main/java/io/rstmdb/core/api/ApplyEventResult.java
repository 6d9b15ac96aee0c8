package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * @param applied {@code false} when this is an idempotent replay of an earlier apply
 * @param eventId echo of the request's event id, {@code null} when none was sent
 */
public record ApplyEventResult(
    String fromState,
    String toState,
    JsonNode ctx,
    long walOffset,
    boolean applied,
    String eventId) {}
