package io.rstmdb.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.message.SaturatedU64;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a request's {@code params} with the reference's rules (operations.md §0.1):
 * absent and {@code null} mean "not given", unknown fields are ignored, integers must be whole,
 * non-negative and fit their width. A value of the wrong type is a BAD_REQUEST naming the field,
 * for every operation: the reference's "loose" ops (COMPACT, BATCH, ...) treat it as not given,
 * which ran {@code COMPACT {"force_snapshot":"yes"}} without a snapshot (docs/protocol.md).
 */
public final class Params {

  /** Largest u32. */
  public static final long U32_MAX = 0xFFFF_FFFFL;

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final JsonNode node;

  private Params(JsonNode node) {
    this.node = node;
  }

  /** Strict params. Absent/null params are {@code {}}; any other non-object is a BAD_REQUEST. */
  public static Params strict(JsonNode params) {
    if (params != null && !params.isNull() && !params.isMissingNode() && !params.isObject()) {
      throw RstmdbException.badRequest("params must be an object");
    }
    return new Params(params);
  }

  private JsonNode raw(String name) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private RstmdbException wrongType(String name, String expected, JsonNode got) {
    return RstmdbException.badRequest(
        "invalid type for field `" + name + "`: expected " + expected + ", got " + kind(got));
  }

  private static RstmdbException missing(String name) {
    return RstmdbException.badRequest("missing field `" + name + "`");
  }

  /** Any JSON value, or {@code null} when absent. */
  public JsonNode any(String name) {
    return raw(name);
  }

  public String optionalString(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw wrongType(name, "a string", v);
    }
    return v.textValue();
  }

  public String requiredString(String name) {
    String v = optionalString(name);
    if (v == null) {
      throw missing(name);
    }
    return v;
  }

  /** A JSON object, or {@code null} when absent. */
  public JsonNode optionalObject(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw wrongType(name, "an object", v);
    }
    return v;
  }

  public JsonNode requiredObject(String name) {
    JsonNode v = optionalObject(name);
    if (v == null) {
      throw missing(name);
    }
    return v;
  }

  /** An unsigned integer no larger than {@code max}, or {@code null} when absent. */
  public Long optionalUnsigned(String name, long max) {
    JsonNode v = raw(name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber()) {
      throw wrongType(name, "a non-negative integer", v);
    }
    BigInteger value = v.bigIntegerValue();
    if (value.signum() < 0 || value.compareTo(LONG_MAX) > 0 || value.longValue() > max) {
      throw RstmdbException.badRequest(
          "invalid value for field `" + name + "`: " + value + " is not in 0.." + max);
    }
    return value.longValue();
  }

  /** A u64 offset, saturated at {@code Long.MAX_VALUE} ({@link SaturatedU64}); null when absent. */
  public Long optionalOffset(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return null;
    }
    Long offset = SaturatedU64.of(v);
    if (offset == null) {
      throw v.isIntegralNumber()
          ? RstmdbException.badRequest(
              "invalid value for field `" + name + "`: " + v.asText() + " is not a u64")
          : wrongType(name, "a non-negative integer", v);
    }
    return offset;
  }

  public long requiredOffset(String name) {
    Long v = optionalOffset(name);
    if (v == null) {
      throw missing(name);
    }
    return v;
  }

  public long requiredUnsigned(String name, long max) {
    Long v = optionalUnsigned(name, max);
    if (v == null) {
      throw missing(name);
    }
    return v;
  }

  public boolean optionalBoolean(String name, boolean defaultValue) {
    JsonNode v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      throw wrongType(name, "a boolean", v);
    }
    return v.booleanValue();
  }

  /** A list of strings, or {@code null} when absent. */
  public List<String> optionalStrings(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      throw wrongType(name, "an array of strings", v);
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw wrongType(name, "an array of strings", v);
      }
      out.add(item.textValue());
    }
    return out;
  }

  private static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer " + v.asText();
    }
    if (v.isNumber()) {
      return "floating point " + v.asText();
    }
    if (v.isArray()) {
      return "an array";
    }
    if (v.isObject()) {
      return "an object";
    }
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
