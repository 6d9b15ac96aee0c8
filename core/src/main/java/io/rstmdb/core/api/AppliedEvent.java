package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A durable state transition, as watchers receive it.
 *
 * @param payload the payload as sent, JSON null when absent
 * @param ctx the whole context after the transition
 */
public record AppliedEvent(
    long walOffset,
    String instanceId,
    String machine,
    long version,
    String fromState,
    String toState,
    String event,
    JsonNode payload,
    JsonNode ctx) {}
