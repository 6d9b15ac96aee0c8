package io.rstmdb.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * The part of a field reference after {@code ctx.}, split on {@code '.'} with empty segments kept
 * ({@code ctx.a..b} looks up the key {@code ""} between {@code a} and {@code b}).
 */
record FieldPath(List<String> segments) {
  FieldPath {
    segments = List.copyOf(segments);
  }

  static FieldPath parse(String path) {
    return new FieldPath(Arrays.asList(path.split("\\.", -1)));
  }

  /**
   * Walks {@code ctx} one object key at a time. Returns {@code null} for a missing key or as soon
   * as the current value is not an object: arrays are not indexable, scalars have no fields.
   */
  JsonNode resolve(JsonNode ctx) {
    JsonNode current = ctx;
    for (String segment : segments) {
      if (current == null || !current.isObject()) {
        return null;
      }
      current = current.get(segment);
    }
    return current;
  }

  @Override
  public String toString() {
    return "ctx." + String.join(".", segments);
  }
}
