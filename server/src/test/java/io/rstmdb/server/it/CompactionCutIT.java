package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.ORDER;
import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COMPACT cuts the WAL at its snapshot's offset: every older segment goes, including the one that
 * was current, so a restart reads the snapshot and only what was written after it, and nothing
 * acknowledged is lost on the way.
 */
class CompactionCutIT {
  @TempDir Path dir;

  private List<String> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".wal"))
          .sorted()
          .toList();
    }
  }

  private static List<Long> offsets(JsonNode walRead) {
    List<Long> out = new ArrayList<>();
    walRead.get("records").forEach(r -> out.add(r.get("offset").asLong()));
    return out;
  }

  @Test
  void compactDeletesEverySegmentBelowTheSnapshotAndARestartLosesNothing() throws Exception {
    try (ServerFixture server = new ServerFixture(dir)) {
      RcpClient c = server.client();
      call(c, "PUT_MACHINE", "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
      for (String id : List.of("a", "b", "c")) {
        call(
            c,
            "CREATE_INSTANCE",
            "{\"instance_id\":\"" + id + "\",\"machine\":\"order\",\"version\":1}");
      }
      call(
          c, "APPLY_EVENT", "{\"instance_id\":\"a\",\"event\":\"PAY\",\"payload\":{\"amount\":5}}");
      assertThat(segmentFiles()).containsExactly("00000000000000000000.wal");

      JsonNode compact = call(c, "COMPACT", null);

      // The snapshot covers offsets 0..4; the segment holding them was current, and goes too.
      assertThat(compact.get("segments_deleted").asLong()).isEqualTo(1);
      assertThat(compact.get("wal_segments").asLong()).isEqualTo(1);
      assertThat(segmentFiles()).containsExactly("00000000000000000005.wal");
      assertThat(call(c, "WAL_STATS", null).get("entry_count").asLong()).isZero();

      call(c, "APPLY_EVENT", "{\"instance_id\":\"a\",\"event\":\"SHIP\"}");
      call(c, "DELETE_INSTANCE", "{\"instance_id\":\"b\"}");
      assertThat(offsets(call(c, "WAL_READ", "{\"from_offset\":0}"))).containsExactly(5L, 6L);
    }
    try (ServerFixture restarted = new ServerFixture(dir)) {
      RcpClient c = restarted.client();
      JsonNode a = call(c, "GET_INSTANCE", "{\"instance_id\":\"a\"}");
      assertThat(a.get("state").asText()).isEqualTo("shipped");
      assertThat(a.get("ctx").get("amount").asInt()).isEqualTo(5);
      assertThat(call(c, "GET_INSTANCE", "{\"instance_id\":\"c\"}").get("state").asText())
          .isEqualTo("created");
      JsonNode list = call(c, "LIST_INSTANCES", null);
      assertThat(list.get("instances")).hasSize(2);
      assertThat(offsets(call(c, "WAL_READ", "{\"from_offset\":0}"))).containsExactly(5L, 6L);
      assertThat(call(c, "WAL_STATS", null).get("latest_offset").asLong()).isEqualTo(6);
    }
  }
}
