package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.message.SaturatedU64;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the typed params of the watch ops (operations.md §0.1): a field of the wrong JSON type is a
 * BAD_REQUEST naming the field; absent and {@code null} both mean "not given"; unknown fields are
 * ignored.
 */
final class WatchParamReader {
  private final JsonNode params;

  WatchParamReader(JsonNode params) {
    if (params != null && !params.isNull() && !params.isObject()) {
      throw RstmdbException.badRequest("invalid request: params must be an object");
    }
    this.params = params;
  }

  String requiredString(String field) {
    JsonNode value = field(field);
    if (value == null) {
      throw RstmdbException.badRequest("invalid request: missing field `" + field + "`");
    }
    if (!value.isTextual()) {
      throw invalidType(field, "a string");
    }
    return value.textValue();
  }

  boolean optionalBoolean(String field, boolean fallback) {
    JsonNode value = field(field);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw invalidType(field, "a boolean");
    }
    return value.booleanValue();
  }

  /** An unsigned 64-bit integer that must also fit a Java long (WAL offsets always do). */
  long optionalOffset(String field, long fallback) {
    JsonNode value = field(field);
    if (value == null) {
      return fallback;
    }
    Long offset = SaturatedU64.of(value);
    if (offset == null) {
      throw invalidType(field, "a non-negative integer");
    }
    return offset;
  }

  /** A list of strings; absent, null and empty all mean "no filtering". */
  List<String> optionalStrings(String field) {
    JsonNode value = field(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw invalidType(field, "an array of strings");
    }
    List<String> out = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw invalidType(field, "an array of strings");
      }
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }

  private JsonNode field(String field) {
    if (params == null || params.isNull()) {
      return null;
    }
    JsonNode value = params.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static RstmdbException invalidType(String field, String expected) {
    return RstmdbException.badRequest(
        "invalid request: invalid type for `" + field + "`, expected " + expected);
  }
}
