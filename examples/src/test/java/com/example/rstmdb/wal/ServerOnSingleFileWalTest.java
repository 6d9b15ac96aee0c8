package com.example.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.testkit.MachineDefinitions;
import io.rstmdb.testkit.RstmdbServerExtension;
import io.rstmdb.testkit.watch.WatchRecorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A downstream test: a real rstmdb server, over a real socket, storing its log in our adapter. */
class ServerOnSingleFileWalTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final RstmdbServerExtension rstmdb =
      RstmdbServerExtension.builder()
          .wal(dataDir -> SingleFileWal.open(dataDir.resolve("toy.wal")))
          .build();

  private JsonNode call(String op, ObjectNode params) throws Exception {
    return rstmdb.client().call(op, params).get(10, TimeUnit.SECONDS);
  }

  @Test
  void ordersSurviveACrashOfTheServer() throws Exception {
    ObjectNode put = JSON.createObjectNode().put("machine", "order").put("version", 1);
    put.set("definition", MachineDefinitions.linear("created", "paid", "shipped"));
    assertThat(call("PUT_MACHINE", put).get("created").asBoolean()).isTrue();

    ObjectNode create =
        JSON.createObjectNode().put("machine", "order").put("version", 1).put("instance_id", "o-1");
    assertThat(call("CREATE_INSTANCE", create).get("state").asText()).isEqualTo("created");

    ObjectNode pay = JSON.createObjectNode().put("instance_id", "o-1").put("event", "NEXT");
    assertThat(call("APPLY_EVENT", pay).get("to_state").asText()).isEqualTo("paid");

    rstmdb.crash();

    RcpClient client = rstmdb.client();
    JsonNode instance =
        client
            .call("GET_INSTANCE", JSON.createObjectNode().put("instance_id", "o-1"))
            .get(10, TimeUnit.SECONDS);
    assertThat(instance.get("state").asText()).isEqualTo("paid");
    assertThat(rstmdb.dataDir().resolve("toy.wal")).isNotEmptyFile();
  }

  @Test
  void aWatcherReplaysHistoryFromTheAdapterAndThenFollowsLiveChanges() throws Exception {
    ObjectNode put = JSON.createObjectNode().put("machine", "order").put("version", 1);
    put.set("definition", MachineDefinitions.linear("created", "paid", "shipped"));
    call("PUT_MACHINE", put);
    call(
        "CREATE_INSTANCE",
        JSON.createObjectNode().put("machine", "order").put("version", 1).put("instance_id", "o-2"));
    ObjectNode next = JSON.createObjectNode().put("instance_id", "o-2").put("event", "NEXT");
    call("APPLY_EVENT", next);
    rstmdb.restart(); // the history now comes from SingleFileWal's reads, not from memory

    // from_offset 1: replay everything the adapter holds, then keep following.
    try (WatchRecorder watch =
        WatchRecorder.watchInstance(
            rstmdb.newClient(),
            JSON.createObjectNode().put("instance_id", "o-2").put("from_offset", 1))) {
      assertThat(watch.awaitEvents(1, Duration.ofSeconds(10)).get(0).get("to_state").asText())
          .isEqualTo("paid");
      call("APPLY_EVENT", next);
      assertThat(watch.awaitEvents(2, Duration.ofSeconds(10)).get(1).get("to_state").asText())
          .isEqualTo("shipped");
      watch.assertNoEventWithin(Duration.ofMillis(200));
    }
  }
}
