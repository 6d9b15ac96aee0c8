package io.rstmdb.core.entry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A machine version was stored.
 *
 * @param definitionHash SHA-256 of the normalized definition
 * @param definition the definition exactly as the client sent it
 */
public record PutMachineEntry(
    long ts, String machine, long version, String definitionHash, JsonNode definition)
    implements Entry {}
