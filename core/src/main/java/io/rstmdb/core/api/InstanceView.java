package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A live instance as readers see it.
 *
 * @param lastEventId {@code null} when unset
 */
public record InstanceView(
    String id,
    String machine,
    long version,
    String state,
    JsonNode ctx,
    String lastEventId,
    long lastWalOffset,
    long createdAt,
    long updatedAt) {}
