package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.server.dispatch.Params;
import io.rstmdb.server.dispatch.ResultJson;
import io.rstmdb.server.dispatch.ServerIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * HELLO negotiation (wire.md §5, decision 18): protocol version 1 only; {@code binary_json} wins
 * whenever the client lists it, else {@code jsonl} if listed, else {@code binary_json}; the Java
 * client's singular {@code wire_mode} counts as a one-element list; features are the intersection,
 * in the client's order.
 */
final class Hello {

  /**
   * The negotiated mode, the result object to send (in that mode), and the client's name as a
   * quoted JSON string cut to a log line's size ({@link LoggedText}; null when the client gave
   * none).
   */
  record Outcome(WireMode mode, ObjectNode result, String quotedClientName) {}

  private Hello() {}

  static Outcome negotiate(JsonNode raw, ServerIdentity identity, ResultJson json) {
    Params p = Params.strict(raw);
    long version = p.requiredUnsigned("protocol_version", 0xFFFF);
    if (version != ProtocolLimits.PROTOCOL_VERSION) {
      throw RstmdbException.badRequest("unsupported protocol version: " + version);
    }
    List<String> modes = new ArrayList<>();
    List<String> plural = p.optionalStrings("wire_modes");
    if (plural != null) {
      modes.addAll(plural);
    }
    String singular = p.optionalString("wire_mode");
    if (singular != null) {
      modes.add(singular);
    }
    WireMode mode;
    if (modes.contains(WireMode.BINARY_JSON.wireName())) {
      mode = WireMode.BINARY_JSON;
    } else if (modes.contains(WireMode.JSONL.wireName())) {
      mode = WireMode.JSONL;
    } else {
      mode = WireMode.BINARY_JSON;
    }
    List<String> wanted = p.optionalStrings("features");
    String clientName = p.optionalString("client_name");
    ObjectNode result = json.object();
    result.put("protocol_version", ProtocolLimits.PROTOCOL_VERSION);
    result.put("wire_mode", mode.wireName());
    result.put("server_name", identity.name());
    result.put("server_version", identity.version());
    ArrayNode features = result.putArray("features");
    if (wanted != null) {
      wanted.stream().distinct().filter(identity.features()::contains).forEach(features::add);
    }
    return new Outcome(mode, result, clientName == null ? null : LoggedText.quoted(clientName));
  }
}
