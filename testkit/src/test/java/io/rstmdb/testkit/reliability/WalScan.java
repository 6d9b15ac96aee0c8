package io.rstmdb.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.client.RcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the WAL over the wire with WAL_READ, page by page, from an offset to its end. */
final class WalScan {
  /** One record: its offset and its entry. */
  record Entry(long offset, JsonNode entry) {
    String type() {
      return entry.path("type").asText();
    }

    String instanceId() {
      return entry.path("instance_id").asText(null);
    }
  }

  private WalScan() {}

  static List<Entry> read(RcpClient client, long fromOffset, Duration timeout) {
    List<Entry> out = new ArrayList<>();
    long from = fromOffset;
    int limit = 1000;
    while (true) {
      Reply reply =
          Reply.call(
              client,
              "WAL_READ",
              JsonNodeFactory.instance.objectNode().put("from_offset", from).put("limit", limit),
              timeout);
      if (!reply.ok() && "BAD_REQUEST".equals(reply.errorCode()) && limit > 1) {
        limit = Math.max(1, limit / 8); // big records: a page must fit in one 16 MiB frame
        continue;
      }
      JsonNode page = reply.orFail("WAL_READ from " + from);
      JsonNode records = page.path("records");
      if (records.isEmpty()) {
        return out;
      }
      for (JsonNode r : records) {
        out.add(new Entry(r.path("offset").asLong(), r.path("entry")));
      }
      from = page.path("next_offset").asLong();
    }
  }
}
