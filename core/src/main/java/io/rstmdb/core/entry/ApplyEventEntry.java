package io.rstmdb.core.entry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event moved an instance. Carries the instance's machine and version so that watchers can be
 * served from the WAL alone.
 *
 * @param payload as sent, JSON null when absent
 * @param ctx the whole ctx after the merge
 * @param eventId {@code null} when none was sent
 * @param idempotencyKey {@code null} when none was sent
 */
public record ApplyEventEntry(
    long ts,
    String instanceId,
    String machine,
    long version,
    String event,
    String fromState,
    String toState,
    JsonNode payload,
    JsonNode ctx,
    String eventId,
    String idempotencyKey)
    implements Entry {}
