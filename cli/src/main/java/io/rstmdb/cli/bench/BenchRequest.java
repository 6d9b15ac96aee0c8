package io.rstmdb.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.PreparedRequest;

/**
 * One request a workload wants sent; params are prebuilt and never mutated afterwards. The prepared
 * form is encoded once, so that repeating the request costs the tool nothing.
 */
record BenchRequest(String op, JsonNode params, PreparedRequest prepared) {
  BenchRequest(String op, JsonNode params) {
    this(op, params, PreparedRequest.of(op, params));
  }
}
