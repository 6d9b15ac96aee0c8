package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.ORDER;
import static io.rstmdb.server.it.ServerFixture.call;
import static io.rstmdb.server.it.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many connections racing on the same instance and the same idempotency key over real sockets: one
 * effect per key and per expected state, every sender told the truth, and the WAL, the watch stream
 * and a restart agreeing with the acknowledgements (concurrency QA pass).
 */
class RacesIT {
  private static final int CONNECTIONS = 16;

  @TempDir Path dir;
  private ServerFixture fixture;
  private final List<RcpClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    fixture = new ServerFixture(dir);
    for (int i = 0; i < CONNECTIONS; i++) {
      clients.add(fixture.client());
    }
    call(
        clients.get(0),
        "PUT_MACHINE",
        "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Sends one request per connection before waiting for any answer; a result or the error. */
  private List<Object> race(String op, IntFunction<String> params) {
    List<CompletableFuture<JsonNode>> sent = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      sent.add(clients.get(i).call(op, json(params.apply(i))));
    }
    List<Object> out = new ArrayList<>();
    for (CompletableFuture<JsonNode> f : sent) {
      try {
        out.add(f.get(10, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        out.add(((RcpErrorException) e.getCause()).codeName());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private List<JsonNode> walRecords(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : call(clients.get(0), "WAL_READ", "{\"from_offset\":0}").get("records")) {
      if (r.at("/entry/type").asText().equals(type)) {
        out.add(r);
      }
    }
    return out;
  }

  @Test
  void aCreateKeySharedByRequestsNamingDifferentIdsCreatesEachNamedInstance() {
    List<Object> answers =
        race(
            "CREATE_INSTANCE",
            i ->
                "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o-"
                    + i
                    + "\","
                    + "\"idempotency_key\":\"shared\"}");

    for (int i = 0; i < CONNECTIONS; i++) {
      assertThat(((JsonNode) answers.get(i)).get("instance_id").asText()).isEqualTo("o-" + i);
      assertThat(call(clients.get(0), "GET_INSTANCE", "{\"instance_id\":\"o-" + i + "\"}"))
          .isNotNull();
    }
    assertThat(walRecords("create_instance")).hasSize(CONNECTIONS);
  }

  @Test
  void oneKeyOnManyConnectionsAppliesOnceAndTellsEverySenderTheSameResult() {
    call(
        clients.get(0),
        "CREATE_INSTANCE",
        "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o\"}");
    ConcurrentLinkedQueue<ObjectNode> events = new ConcurrentLinkedQueue<>();
    RcpClient watcher = fixture.client();
    watcher.onEvent(events::add);
    call(watcher, "WATCH_ALL", "{}");

    List<Object> answers =
        race(
            "APPLY_EVENT",
            i ->
                "{\"instance_id\":\"o\",\"event\":\"PAY\",\"payload\":{\"by\":"
                    + i
                    + "},"
                    + "\"idempotency_key\":\"k\"}");

    long applied = answers.stream().filter(a -> ((JsonNode) a).get("applied").asBoolean()).count();
    assertThat(applied).isEqualTo(1);
    JsonNode first = (JsonNode) answers.get(0);
    for (Object a : answers) {
      JsonNode r = (JsonNode) a;
      assertThat(r.get("wal_offset")).isEqualTo(first.get("wal_offset"));
      assertThat(r.get("ctx")).isEqualTo(first.get("ctx"));
    }
    assertThat(walRecords("apply_event")).hasSize(1);
    JsonNode ready = call(clients.get(0), "GET_INSTANCE", "{\"instance_id\":\"o\"}");
    assertThat(ready.get("last_wal_offset")).isEqualTo(first.get("wal_offset"));
    // The watch gets the one transition, once; the replays broadcast nothing.
    call(
        clients.get(0),
        "CREATE_INSTANCE",
        "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"p\"}");
    JsonNode marker =
        call(clients.get(0), "APPLY_EVENT", "{\"instance_id\":\"p\",\"event\":\"PAY\"}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.size() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(events.stream().map(e -> e.get("wal_offset").asLong()).toList())
        .containsExactly(first.get("wal_offset").asLong(), marker.get("wal_offset").asLong());

    fixture.close();
    fixture = new ServerFixture(dir);
    RcpClient after = fixture.client();
    JsonNode retry =
        call(
            after,
            "APPLY_EVENT",
            "{\"instance_id\":\"o\",\"event\":\"PAY\",\"idempotency_key\":\"k\"}");
    assertThat(retry.get("applied").asBoolean()).isFalse();
    assertThat(retry.get("wal_offset")).isEqualTo(first.get("wal_offset"));
  }

  @Test
  void anExpectedStateHasOneWinnerAndTheLosersGetConflict() {
    call(
        clients.get(0),
        "CREATE_INSTANCE",
        "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o\"}");

    List<Object> answers =
        race(
            "APPLY_EVENT",
            i ->
                "{\"instance_id\":\"o\",\"event\":\"PAY\",\"expected_state\":\"created\","
                    + "\"payload\":{\"amount\":"
                    + (i + 1)
                    + "}}");

    List<JsonNode> won =
        answers.stream().filter(JsonNode.class::isInstance).map(JsonNode.class::cast).toList();
    assertThat(won).hasSize(1);
    assertThat(answers.stream().filter(a -> a.equals("CONFLICT")).count())
        .isEqualTo(CONNECTIONS - 1);
    JsonNode state = call(clients.get(0), "GET_INSTANCE", "{\"instance_id\":\"o\"}");
    assertThat(state.get("ctx")).isEqualTo(won.get(0).get("ctx"));
    assertThat(walRecords("apply_event")).hasSize(1);
  }
}
