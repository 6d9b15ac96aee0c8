package io.rstmdb.core.guard;

import com.fasterxml.jackson.databind.JsonNode;

/** Truthiness of a context value, as a bare field or under {@code !} sees it. */
final class JsonTruth {
  private JsonTruth() {}

  /**
   * Missing/null → false; booleans are themselves; numbers are false iff equal to zero as a double;
   * strings, arrays and objects are false iff empty.
   */
  static boolean isTruthy(JsonNode value) {
    if (value == null) {
      return false;
    }
    return switch (value.getNodeType()) {
      case BOOLEAN -> value.booleanValue();
      case NUMBER -> value.doubleValue() != 0.0;
      case STRING -> !value.textValue().isEmpty();
      case ARRAY, OBJECT -> value.size() > 0;
      case NULL, MISSING, BINARY, POJO -> false;
    };
  }
}
