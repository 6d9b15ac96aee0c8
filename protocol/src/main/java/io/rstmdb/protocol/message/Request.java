package io.rstmdb.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.Op;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded request envelope. {@code op} is kept as sent, so an unknown name can still be answered
 * with the request's id; {@code params} is never null (absent or JSON null become {@code {}},
 * decisions 8 and 18).
 *
 * @param id opaque request id, echoed verbatim in the response (may be empty)
 * @param op operation name exactly as sent
 * @param params the request's parameters, never null
 */
public record Request(String id, String op, JsonNode params) {

  public Request {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(op, "op");
    if (params == null || params.isNull() || params.isMissingNode()) {
      params = JsonNodeFactory.instance.objectNode();
    }
  }

  /** The operation, when {@link #op} names one this protocol version knows. */
  public Optional<Op> knownOp() {
    return Op.parse(op);
  }
}
