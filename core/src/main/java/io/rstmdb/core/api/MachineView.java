package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A stored definition in normalized form, with its checksum. */
public record MachineView(String machine, long version, JsonNode definition, String checksum) {}
