package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Apply an event to an instance.
 *
 * @param payload {@code null} when absent
 * @param expectedState optional optimistic-concurrency check
 * @param expectedWalOffset optional optimistic-concurrency check
 * @param eventId optional caller id, echoed and stored as {@code last_event_id}
 * @param idempotencyKey optional
 */
public record ApplyEvent(
    String instanceId,
    String event,
    JsonNode payload,
    String expectedState,
    Long expectedWalOffset,
    String eventId,
    String idempotencyKey)
    implements Command {}
