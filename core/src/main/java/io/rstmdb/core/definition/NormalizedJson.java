package io.rstmdb.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.json.CanonicalJson;
import java.util.List;

/**
 * Writes the compact normalized definition (state-machines.md §3.1). Its top-level and transition
 * key orders are fixed by the format rather than sorted, so it is spelled out here; meta, the only
 * free-form part, goes through {@link CanonicalJson}.
 */
final class NormalizedJson {
  private NormalizedJson() {}

  static String write(
      List<String> states, String initial, List<Transition> transitions, JsonNode meta) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"states\":");
    stringArray(out, states);
    out.append(",\"initial\":");
    CanonicalJson.writeString(out, initial);
    out.append(",\"transitions\":[");
    for (int i = 0; i < transitions.size(); i++) {
      Transition t = transitions.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"from\":");
      stringArray(out, t.from());
      out.append(",\"event\":");
      CanonicalJson.writeString(out, t.event());
      out.append(",\"to\":");
      CanonicalJson.writeString(out, t.to());
      if (t.guard() != null) {
        out.append(",\"guard\":");
        CanonicalJson.writeString(out, t.guard().text());
      }
      out.append('}');
    }
    out.append(']');
    if (meta != null) {
      out.append(",\"meta\":");
      CanonicalJson.write(out, meta);
    }
    out.append('}');
    return out.toString();
  }

  private static void stringArray(StringBuilder out, List<String> strings) {
    out.append('[');
    for (int i = 0; i < strings.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      CanonicalJson.writeString(out, strings.get(i));
    }
    out.append(']');
  }
}
