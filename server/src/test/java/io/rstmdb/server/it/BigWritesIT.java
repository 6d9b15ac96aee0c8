package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes near the 16 MiB frame: one whose WAL record would not fit a reply frame is the client's
 * mistake (BAD_REQUEST, nothing stored, the database goes on), and whatever was stored can be read
 * back page by page.
 */
class BigWritesIT {
  private static final String LOOP =
      "{\"states\":[\"s\"],\"initial\":\"s\",\"transitions\":[{\"from\":\"s\",\"event\":\"E\",\"to\":\"s\"}]}";
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void aWriteTooLargeToStoreIsRefusedAndTheDatabaseGoesOn() {
    try (ServerFixture f = new ServerFixture(dir)) {
      RcpClient c = f.client();
      call(c, "PUT_MACHINE", "{\"machine\":\"m\",\"version\":1,\"definition\":" + LOOP + "}");
      call(c, "CREATE_INSTANCE", big("big", "a", 6 * MIB));

      // Its record would hold the 6 MiB payload and the 12 MiB ctx after the merge.
      RcpErrorException refused =
          ItSupport.error(
              c, "APPLY_EVENT", apply("big", "{\"b\":\"" + "y".repeat(6 * MIB) + "\"}"));
      assertThat(refused.codeName()).isEqualTo("BAD_REQUEST");
      assertThat(refused.retryable()).isFalse();
      assertThat(refused.getMessage()).contains("write too large");
      // Three records of the 6 MiB ctx each: too large together, so none is written.
      RcpErrorException batch =
          ItSupport.error(
              c,
              "BATCH",
              "{\"mode\":\"atomic\",\"ops\":["
                  + String.join(",", List.of(applyOp(), applyOp(), applyOp()))
                  + "]}");
      assertThat(batch.codeName()).isEqualTo("BAD_REQUEST");
      assertThat(batch.getMessage()).contains("write too large");

      // Reads and writes go on, and nothing of the refused writes is there.
      JsonNode instance = call(c, "GET_INSTANCE", "{\"instance_id\":\"big\"}");
      assertThat(instance.get("ctx").has("b")).isFalse();
      assertThat(instance.get("last_wal_offset").asLong()).isEqualTo(1);
      assertThat(call(c, "APPLY_EVENT", apply("big", "{\"n\":1}")).get("wal_offset").asLong())
          .isEqualTo(2);
      call(c, "CREATE_INSTANCE", big("big-2", "c", 7 * MIB));
      call(c, "CREATE_INSTANCE", big("big-3", "d", 7 * MIB));
    }
    // After a restart, too: the refusals stopped nothing and lost nothing.
    try (ServerFixture f = new ServerFixture(dir)) {
      RcpClient c = f.client();
      assertThat(call(c, "GET_INSTANCE", "{\"instance_id\":\"big\"}").at("/ctx/n").asInt())
          .isEqualTo(1);
      // 6 + 6 + 7 + 7 MiB of records do not fit one reply: WAL_READ hands them out over several
      // pages, each within the frame, every record once, in order.
      List<Long> offsets = new ArrayList<>();
      long from = 0;
      int pages = 0;
      while (offsets.size() < 5) {
        JsonNode page = call(c, "WAL_READ", "{\"from_offset\":" + from + ",\"limit\":100}");
        assertThat(page.get("records")).isNotEmpty();
        page.get("records").forEach(r -> offsets.add(r.get("offset").asLong()));
        from = page.get("next_offset").asLong();
        assertThat(from).isEqualTo(offsets.get(offsets.size() - 1) + 1);
        pages++;
      }
      assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(pages).isEqualTo(2); // 0 – 3 (13 MiB), then 4
    }
  }

  @Test
  void anErrorAboutAHugeUnknownIdSaysWhatWentWrong() {
    try (ServerFixture f = new ServerFixture(dir)) {
      RcpClient c = f.client();
      String id = "o".repeat(15 * MIB);
      // Quoted in full, the message made the answer too large, and the client was told about
      // the frame limit instead of the unknown id.
      RcpErrorException error =
          ItSupport.error(c, "GET_INSTANCE", "{\"instance_id\":\"" + id + "\"}");
      assertThat(error.codeName()).isEqualTo("INSTANCE_NOT_FOUND");
      // getMessage() holds the server's text as it came (error() would cut it again here).
      assertThat(error.getMessage())
          .startsWith("INSTANCE_NOT_FOUND: core error: instance not found: ooo")
          .endsWith("more characters)")
          .hasSizeLessThan(1100);
      assertThat(call(c, "PING", "{}").get("pong").asBoolean()).isTrue();
    }
  }

  @Test
  void doublesCountAtTheirLongerWireSpellingAndWalReadPagesFitTheFrame() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      RcpClient c = f.client();
      call(c, "PUT_MACHINE", "{\"machine\":\"m\",\"version\":1,\"definition\":" + LOOP + "}");
      // Sent as written: a client would re-encode the numbers in their long form. 1e15 is
      // 1.0E15 in the WAL (7 bytes with its comma) and 1000000000000000.0 in a reply (19).
      try (RawConnection raw = new RawConnection(f.port())) {
        // 1,000,000 of them: 7 MB stored, 19 MB in any reply: refused, nothing stored.
        raw.sendJson(createRaw("refused", 1_000_000));
        JsonNode refused = raw.readFrame();
        assertThat(refused.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(refused.at("/error/message").asText()).contains("write too large");
        // 330,000 each: 2.3 MB stored, 6.3 MB in a reply. Three fit one page by their stored
        // size, not by their wire size.
        for (String id : List.of("d-1", "d-2", "d-3")) {
          raw.sendJson(createRaw(id, 330_000));
          assertThat(raw.readFrame().at("/result/state").asText()).as(id).isEqualTo("s");
        }
      }
      List<Long> offsets = new ArrayList<>();
      List<Integer> pageSizes = new ArrayList<>();
      long from = 0;
      while (offsets.size() < 4) {
        JsonNode page = call(c, "WAL_READ", "{\"from_offset\":" + from + ",\"limit\":100}");
        assertThat(page.get("records")).isNotEmpty();
        page.get("records").forEach(r -> offsets.add(r.get("offset").asLong()));
        pageSizes.add(page.get("records").size());
        from = page.get("next_offset").asLong();
      }
      assertThat(offsets).containsExactly(0L, 1L, 2L, 3L);
      assertThat(pageSizes).containsExactly(3, 1); // put_machine, d-1, d-2 (13 MB); then d-3
    }
  }

  private static String createRaw(String id, int doubles) {
    return "{\"type\":\"request\",\"id\":\""
        + id
        + "\",\"op\":\"CREATE_INSTANCE\",\"params\":{\"machine\":\"m\",\"version\":1,"
        + "\"instance_id\":\""
        + id
        + "\",\"initial_ctx\":{\"a\":["
        + String.join(",", java.util.Collections.nCopies(doubles, "1e15"))
        + "]}}}";
  }

  private static String big(String id, String key, int bytes) {
    return "{\"machine\":\"m\",\"version\":1,\"instance_id\":\""
        + id
        + "\",\"initial_ctx\":{\""
        + key
        + "\":\""
        + "x".repeat(bytes)
        + "\"}}";
  }

  private static String apply(String id, String payload) {
    return "{\"instance_id\":\"" + id + "\",\"event\":\"E\",\"payload\":" + payload + "}";
  }

  private static String applyOp() {
    return "{\"op\":\"APPLY_EVENT\",\"params\":" + apply("big", "{\"n\":0}") + "}";
  }
}
