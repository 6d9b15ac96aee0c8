package io.rstmdb.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.message.CanonicalJsonWriter;
import java.util.Objects;

/**
 * An operation with its params encoded once, for sending many times with {@link
 * RcpClient#send(PreparedRequest)}. A load generator that repeats a fixed set of requests spends
 * its CPU on the server instead of on re-encoding the same params for every call.
 *
 * <pre>{@code
 * PreparedRequest apply = PreparedRequest.of("APPLY_EVENT", params);
 * client.send(apply).join(); // fails with RcpErrorException on an error response
 * }</pre>
 */
public final class PreparedRequest {
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private final String op;
  private final JsonNode params;
  private final byte[] encoded;

  private PreparedRequest(String op, JsonNode params, byte[] encoded) {
    this.op = op;
    this.params = params;
    this.encoded = encoded;
  }

  /**
   * Encodes {@code params} now (canonically, as {@link RcpClient#call(String, JsonNode)} would);
   * later changes to the tree do not affect the request.
   *
   * @param params the params, or {@code null} for {@code {}}
   */
  public static PreparedRequest of(String op, JsonNode params) {
    Objects.requireNonNull(op, "op");
    if (params == null || params.isNull() || params.isMissingNode()) {
      return new PreparedRequest(op, null, EMPTY_OBJECT);
    }
    return new PreparedRequest(op, params.deepCopy(), CanonicalJsonWriter.toBytes(params));
  }

  public String op() {
    return op;
  }

  /**
   * A copy of the params as given (null for none), for senders that cannot use the encoding; do not
   * modify it.
   */
  public JsonNode params() {
    return params;
  }

  /** The encoded params; shared, so never modified. */
  byte[] encodedParams() {
    return encoded;
  }
}
