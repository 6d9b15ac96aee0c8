package io.rstmdb.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** One request a workload wants sent; params are prebuilt and never mutated afterwards. */
record BenchRequest(String op, JsonNode params) {}
