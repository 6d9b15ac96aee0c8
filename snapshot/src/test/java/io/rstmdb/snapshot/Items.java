package io.rstmdb.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.util.ArrayList;
import java.util.List;

/** Small fixtures shared by this module's tests. */
final class Items {
  static final ObjectMapper JSON = new ObjectMapper();

  private Items() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static List<JsonNode> numbered(int n) {
    List<JsonNode> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(json("{\"i\":" + i + ",\"name\":\"item-" + i + "\",\"tags\":[\"a\",\"ü\"]}"));
    }
    return items;
  }

  static SnapshotInfo commit(SnapshotPort store, long walOffset, List<JsonNode> items) {
    try (SnapshotPort.SnapshotWriter w = store.begin(SnapshotKind.STATE, walOffset, 1_000L)) {
      items.forEach(w::write);
      return w.commit();
    }
  }

  static List<JsonNode> readAll(SnapshotPort store, String id) {
    List<JsonNode> out = new ArrayList<>();
    try (SnapshotPort.SnapshotReader r = store.open(id)) {
      for (JsonNode n = r.next(); n != null; n = r.next()) {
        out.add(n);
      }
    }
    return out;
  }
}
