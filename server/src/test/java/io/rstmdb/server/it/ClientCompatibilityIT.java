package io.rstmdb.server.it;

import static io.rstmdb.server.it.ItSupport.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.server.config.AuthConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official clients' requests exactly as operations.md §21 says they send them (params left out,
 * {@code wire_mode} singular, AUTH without {@code method}, …), and the fields they parse.
 */
class ClientCompatibilityIT {

  private static final String TOKEN = "my-secret-token";
  private static final String HASH =
      "ea5add57437cbf20af59034d7ed17968dcc56767b41965fcc5b376d45db8b4a3";

  @TempDir Path dir;

  /** Sends one request the way the Java client frames it and returns the response envelope. */
  private static final class JavaStyle {
    private final RawConnection c;
    private int next = 1;

    JavaStyle(RawConnection c) {
      this.c = c;
    }

    JsonNode send(String op, String params) throws IOException {
      String id = Integer.toString(next++);
      c.sendJson(
          "{\"type\":\"request\",\"id\":\""
              + id
              + "\",\"op\":\""
              + op
              + "\""
              + (params == null ? "" : ",\"params\":" + params)
              + "}");
      JsonNode r = c.readFrame();
      assertThat(r.get("type").asText()).isEqualTo("response");
      assertThat(r.get("id").asText()).isEqualTo(id);
      if (r.get("status").asText().equals("ok")) {
        assertThat(r.get("result").isObject()).as(op).isTrue();
        assertThat(r.has("error")).isFalse();
      } else {
        assertThat(keys(r.get("error"))).contains("code", "message", "retryable");
        assertThat(r.has("result")).isFalse();
      }
      return r;
    }

    JsonNode ok(String op, String params) throws IOException {
      JsonNode r = send(op, params);
      assertThat(r.get("status").asText()).as(op + " " + r).isEqualTo("ok");
      return r.get("result");
    }
  }

  @Test
  void theJavaClientsConversation() throws Exception {
    try (ServerFixture f =
            new ServerFixture(
                dir,
                c ->
                    c.withAuth(new AuthConfig(true, List.of(HASH), null))
                        .withStorage(c.storage().withAllowFlushAll(true)));
        RawConnection raw = new RawConnection(f.port())) {
      JavaStyle java = new JavaStyle(raw);
      JsonNode hello =
          java.ok(
              "HELLO",
              "{\"protocol_version\":1,\"wire_mode\":\"binary_json\",\"client_name\":\"app\","
                  + "\"features\":[\"idempotency\",\"batch\"]}");
      assertThat(hello.get("protocol_version").isInt()).isTrue();
      assertThat(hello.get("wire_mode").asText()).isEqualTo("binary_json");
      assertThat(hello.get("server_name").isTextual()).isTrue();
      assertThat(hello.get("server_version").isTextual()).isTrue();
      assertThat(hello.get("features").isArray()).isTrue();
      assertThat(java.ok("AUTH", "{\"token\":\"" + TOKEN + "\"}").get("authenticated").asBoolean())
          .isTrue();
      assertThat(java.ok("PING", null).get("pong").asBoolean()).isTrue();
      JsonNode info = java.ok("INFO", null);
      for (String intField : List.of("protocol_version", "max_frame_bytes", "max_batch_ops")) {
        assertThat(info.get(intField).isInt()).as(intField).isTrue();
      }
      java.ok(
          "PUT_MACHINE",
          "{\"machine\":\"order\",\"version\":1,\"definition\":{\"states\":[\"created\",\"paid\"],"
              + "\"initial\":\"created\",\"transitions\":[{\"from\":[\"created\"],\"event\":\"PAY\","
              + "\"to\":\"paid\"}],\"meta\":{\"owner\":\"team\"}}}");
      JsonNode machines = java.ok("LIST_MACHINES", null);
      assertThat(machines.at("/items/0/machine").asText()).isEqualTo("order");
      JsonNode def = java.ok("GET_MACHINE", "{\"machine\":\"order\",\"version\":1}");
      assertThat(def.at("/definition/transitions/0/from/0").asText()).isEqualTo("created");
      JsonNode created =
          java.ok(
              "CREATE_INSTANCE",
              "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o-1\",\"idempotency_key\":\"c1\"}");
      JsonNode again =
          java.ok(
              "CREATE_INSTANCE",
              "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o-1\",\"idempotency_key\":\"c1\"}");
      assertThat(again).isEqualTo(created);
      JsonNode instance = java.ok("GET_INSTANCE", "{\"instance_id\":\"o-1\"}");
      assertThat(instance.get("ctx").isObject()).isTrue();
      assertThat(instance.get("last_wal_offset").canConvertToLong()).isTrue();
      JsonNode applied =
          java.ok(
              "APPLY_EVENT",
              "{\"instance_id\":\"o-1\",\"event\":\"PAY\",\"payload\":{\"amount\":10},"
                  + "\"expected_state\":\"created\",\"expected_wal_offset\":"
                  + instance.get("last_wal_offset").asLong()
                  + ",\"event_id\":\"e-1\",\"idempotency_key\":\"k-1\"}");
      assertThat(applied.get("event_id").asText()).isEqualTo("e-1");
      assertThat(applied.get("ctx").isObject()).isTrue();
      assertThat(java.ok("LIST_INSTANCES", null).get("total").isIntegralNumber()).isTrue();
      assertThat(java.ok("LIST_INSTANCES", "{}").get("instances").size()).isEqualTo(1);
      assertThat(java.ok("WATCH_ALL", null).get("subscription_id").asText()).startsWith("sub-");
      assertThat(
              java.ok(
                      "WATCH_INSTANCE",
                      "{\"instance_id\":\"o-1\",\"include_ctx\":false,\"from_offset\":0}")
                  .get("subscription_id")
                  .isTextual())
          .isTrue();
      JsonNode batch =
          java.ok(
              "BATCH",
              "{\"mode\":\"best_effort\",\"ops\":[{\"op\":\"CREATE_INSTANCE\",\"params\":"
                  + "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o-2\"}}]}");
      assertThat(keys(batch.at("/results/0")))
          .containsExactlyInAnyOrder("status", "result", "error");
      JsonNode snap = java.ok("SNAPSHOT_INSTANCE", "{\"instance_id\":\"o-1\"}");
      assertThat(snap.get("size_bytes").canConvertToLong()).isTrue();
      JsonNode wal = java.ok("WAL_READ", "{\"from_offset\":0,\"limit\":2}");
      assertThat(wal.get("next_offset").asLong()).isEqualTo(2);
      JsonNode stats = java.ok("WAL_STATS", null);
      assertThat(stats.get("latest_offset").canConvertToLong()).isTrue();
      assertThat(java.ok("COMPACT", null).size()).isEqualTo(5);
      assertThat(
              java.ok("DELETE_INSTANCE", "{\"instance_id\":\"o-2\",\"idempotency_key\":\"d\"}")
                  .get("deleted")
                  .asBoolean())
          .isTrue();
      JsonNode flushed = java.ok("FLUSH_ALL", null);
      assertThat(flushed.get("instances_removed").asLong()).isPositive();
      assertThat(java.send("GET_INSTANCE", "{\"instance_id\":\"o-1\"}").at("/error/code").asText())
          .isEqualTo("INSTANCE_NOT_FOUND");
      assertThat(java.ok("BYE", null).get("goodbye").asBoolean()).isTrue();
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void thePythonClientsConversation() throws Exception {
    try (ServerFixture f =
            new ServerFixture(dir, c -> c.withAuth(new AuthConfig(true, List.of(HASH), null)));
        RawConnection raw = new RawConnection(f.port())) {
      JavaStyle py = new JavaStyle(raw);
      JsonNode hello =
          py.ok(
              "HELLO",
              "{\"protocol_version\":1,\"client_name\":\"rstmdb-py\",\"wire_modes\":[\"binary_json\"],"
                  + "\"features\":[\"idempotency\",\"batch\"]}");
      assertThat(hello.get("features").toString()).isEqualTo("[\"idempotency\",\"batch\"]");
      py.ok("AUTH", "{\"method\":\"bearer\",\"token\":\"" + TOKEN + "\"}");
      JsonNode stats = py.ok("WAL_STATS", "{}");
      assertThat(stats.has("latest_offset")).isFalse();
      assertThat(keys(stats.get("io_stats")))
          .containsExactlyInAnyOrder("bytes_written", "bytes_read", "writes", "reads", "fsyncs");
      assertThat(py.ok("LIST_MACHINES", "{}").get("items").isArray()).isTrue();
      py.ok(
          "PUT_MACHINE",
          "{\"machine\":\"m\",\"version\":1,\"definition\":" + ServerFixture.ORDER + "}");
      JsonNode created = py.ok("CREATE_INSTANCE", "{\"machine\":\"m\",\"version\":1}");
      String id = created.get("instance_id").asText();
      JsonNode got = py.ok("GET_INSTANCE", "{\"instance_id\":\"" + id + "\"}");
      assertThat(got.get("ctx").isObject()).isTrue();
      assertThat(got.has("last_event_id")).isFalse();
      JsonNode applied = py.ok("APPLY_EVENT", "{\"instance_id\":\"" + id + "\",\"event\":\"PAY\"}");
      assertThat(keys(applied))
          .containsExactlyInAnyOrder("from_state", "to_state", "ctx", "wal_offset", "applied");
      JsonNode watch =
          py.ok("WATCH_INSTANCE", "{\"instance_id\":\"" + id + "\",\"include_ctx\":true}");
      assertThat(keys(watch))
          .contains("subscription_id", "instance_id", "current_state", "current_wal_offset");
      JsonNode all = py.ok("WATCH_ALL", "{\"include_ctx\":true,\"machines\":[\"m\"]}");
      assertThat(keys(all)).contains("subscription_id", "wal_offset");
      JsonNode un =
          py.ok("UNWATCH", "{\"subscription_id\":\"" + all.get("subscription_id").asText() + "\"}");
      assertThat(keys(un)).contains("subscription_id", "removed");
      JsonNode error = py.send("GET_INSTANCE", "{\"instance_id\":\"missing\"}").get("error");
      assertThat(error.get("code").asText()).isEqualTo("INSTANCE_NOT_FOUND");
      assertThat(error.get("message").isTextual()).isTrue();
      assertThat(error.get("retryable").isBoolean()).isTrue();
    }
  }
}
