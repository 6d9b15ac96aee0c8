package io.rstmdb.core.entry;

/**
 * An instance was soft-deleted.
 *
 * @param idempotencyKey {@code null} when none was sent
 */
public record DeleteInstanceEntry(long ts, String instanceId, String idempotencyKey)
    implements Entry {}
