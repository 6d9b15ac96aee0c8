package io.rstmdb.wal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalRecord;
import java.util.ArrayList;
import java.util.List;

/** Entries for tests, built the way the engine builds them (bodies parsed from JSON). */
final class TestEntries {
  private final ObjectMapper mapper = new ObjectMapper();

  WalEntry entry(long n) {
    return entry(n, "");
  }

  /** An apply_event entry whose body names {@code n}, padded with {@code pad}. */
  WalEntry entry(long n, String pad) {
    try {
      ObjectNode body =
          (ObjectNode)
              mapper.readTree(
                  "{\"type\":\"apply_event\",\"instance_id\":\"i-"
                      + n
                      + "\",\"event\":\"PAY\",\"from_state\":\"a\",\"to_state\":\"b\","
                      + "\"payload\":{\"amount\":99.99,\"pad\":\""
                      + pad
                      + "\"},\"ctx\":{\"n\":"
                      + n
                      + "}}");
      return new WalEntry("apply_event", body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code n} an entry made by {@link #entry} carries. */
  static long numberOf(WalRecord record) {
    return record.entry().body().get("ctx").get("n").asLong();
  }

  List<WalEntry> group(long firstN, int size) {
    List<WalEntry> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(entry(firstN + i));
    }
    return out;
  }
}
