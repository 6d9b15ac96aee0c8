package io.rstmdb.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds UTF-16 surrogates without their other half. JSON may spell one ({@code "\ud800"}) and
 * Jackson reads it, but it has no UTF-8 form: stored, it comes back as {@code ?}, so a value that
 * holds one would be kept as something else than what was sent (the reference server refuses such
 * JSON outright).
 */
public final class LoneSurrogates {
  private LoneSurrogates() {}

  /** Whether {@code s} holds a surrogate that is not part of a valid pair. */
  public static boolean in(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any field name or string value anywhere in {@code tree} holds one. */
  public static boolean in(JsonNode tree) {
    if (tree.isTextual()) {
      return in(tree.textValue());
    }
    if (tree.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (in(field.getKey()) || in(field.getValue())) {
          return true;
        }
      }
      return false;
    }
    if (tree.isArray()) {
      for (JsonNode item : tree) {
        if (in(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
