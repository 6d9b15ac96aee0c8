package io.rstmdb.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The machine every bench run registers: two states and one event that is valid in both, so any
 * number of pipelined applies to one instance are always valid transitions.
 */
final class BenchMachine {

  static final String NAME = "rstmdb-bench";
  static final int VERSION = 1;
  static final String EVENT = "NEXT";

  private BenchMachine() {}

  static JsonNode putParams(ObjectMapper mapper) {
    ObjectNode def = mapper.createObjectNode();
    def.putArray("states").add("ping").add("pong");
    def.put("initial", "ping");
    var transitions = def.putArray("transitions");
    transitions.addObject().put("from", "ping").put("event", EVENT).put("to", "pong");
    transitions.addObject().put("from", "pong").put("event", EVENT).put("to", "ping");
    ObjectNode params = mapper.createObjectNode().put("machine", NAME).put("version", VERSION);
    params.set("definition", def);
    return params;
  }

  /** A payload object of about {@code bytes} bytes of JSON. */
  static ObjectNode payload(ObjectMapper mapper, int bytes) {
    return mapper.createObjectNode().put("data", "x".repeat(Math.max(0, bytes - 11)));
  }
}
