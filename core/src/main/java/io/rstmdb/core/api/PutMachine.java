package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Register a machine definition version.
 *
 * @param checksum optional SHA-256 the caller expects; {@code null} when not given
 */
public record PutMachine(String machine, long version, JsonNode definition, String checksum) {}
