package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful close and crash-style halt keep every acknowledged write. */
class LifecycleIT {

  @TempDir Path dir;

  private static String create(int i) {
    return "{\"instance_id\":\"i-" + i + "\",\"machine\":\"m\",\"version\":1}";
  }

  @Test
  void closeAnswersWhatItReceivedAndLosesNothingAcknowledged() throws Exception {
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    RstmdbServer server =
        RstmdbServer.builder(ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0"))
            .start();
    assertThat(server.address().getPort()).isPositive();
    RcpClient client =
        RcpClient.connect(
                ClientOptions.of("127.0.0.1", server.address().getPort())
                    .withRequestTimeout(Duration.ofSeconds(2)))
            .get(10, TimeUnit.SECONDS);
    call(
        client,
        "PUT_MACHINE",
        "{\"machine\":\"m\",\"version\":1,\"definition\":" + ServerFixture.ORDER + "}");
    for (int i = 0; i < 300; i++) {
      calls.add(client.call("CREATE_INSTANCE", ServerFixture.json(create(i))));
    }
    // Close while the rest are in flight, but only once the server has surely received some: on a
    // busy machine the close could otherwise win the race against the very first read.
    calls.get(0).get(10, TimeUnit.SECONDS);
    server.close();
    List<String> acknowledged = new ArrayList<>();
    for (CompletableFuture<JsonNode> c : calls) {
      try {
        acknowledged.add(c.get(10, TimeUnit.SECONDS).get("instance_id").asText());
      } catch (Exception e) {
        // not received before the listener stopped: never acknowledged
      }
    }
    client.close();
    assertThat(acknowledged).isNotEmpty();
    try (ServerFixture again = new ServerFixture(dir)) {
      RcpClient c = again.client();
      for (String id : acknowledged) {
        assertThat(
                call(c, "GET_INSTANCE", "{\"instance_id\":\"" + id + "\"}").get("state").asText())
            .isEqualTo("created");
      }
    }
  }

  @Test
  void haltStopsServingWithoutClosingTheDatabase() throws Exception {
    RstmdbServer server =
        RstmdbServer.builder(ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0"))
            .start();
    int port = server.address().getPort();
    server.halt();
    assertThat(
            RcpClient.connect(ClientOptions.of("127.0.0.1", port))
                .handle((c, e) -> e != null)
                .get(10, TimeUnit.SECONDS))
        .isTrue();
    // The database was left open, as a crash would leave it: it still answers in-process.
    assertThat(server.database().walStats().entryCount()).isZero();
    server.database().close();
  }
}
