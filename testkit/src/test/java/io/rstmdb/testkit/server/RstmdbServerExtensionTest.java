package io.rstmdb.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.testkit.MachineDefinitions;
import io.rstmdb.testkit.RstmdbServerExtension;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RstmdbServerExtensionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode call(RcpClient client, String op, String paramsJson) throws Exception {
    ObjectNode params = (ObjectNode) JSON.readTree(paramsJson);
    return client.call(op, params).get(10, TimeUnit.SECONDS);
  }

  static void seed(RcpClient client) throws Exception {
    ObjectNode put = JSON.createObjectNode();
    put.put("machine", "line");
    put.put("version", 1);
    put.set("definition", MachineDefinitions.linear("a", "b", "c"));
    client.call("PUT_MACHINE", put).get(10, TimeUnit.SECONDS);
    call(client, "CREATE_INSTANCE", "{\"machine\":\"line\",\"version\":1,\"instance_id\":\"i-1\"}");
    call(client, "APPLY_EVENT", "{\"instance_id\":\"i-1\",\"event\":\"NEXT\"}");
  }

  static String stateOf(RcpClient client, String id) throws Exception {
    return call(client, "GET_INSTANCE", "{\"instance_id\":\"" + id + "\"}").get("state").asText();
  }

  @Nested
  @DisplayName("with file storage (per test method)")
  class Files {
    @RegisterExtension final RstmdbServerExtension server = RstmdbServerExtension.create();

    @Test
    void servesOnAFreeLoopbackPort() throws Exception {
      assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
      assertThat(server.address().getPort()).isPositive();
      assertThat(call(server.client(), "PING", "{}").get("pong").asBoolean()).isTrue();
    }

    @Test
    void keepsDataAcrossACleanRestart() throws Exception {
      seed(server.client());
      server.restart();
      assertThat(stateOf(server.client(), "i-1")).isEqualTo("b");
      assertThat(server.dataDir().resolve("wal")).isDirectory();
    }

    @Test
    void keepsEveryAcknowledgedWriteAcrossACrash() throws Exception {
      seed(server.client());
      server.crash();
      assertThat(stateOf(server.client(), "i-1")).isEqualTo("b");
      call(server.client(), "APPLY_EVENT", "{\"instance_id\":\"i-1\",\"event\":\"NEXT\"}");
      server.crash();
      assertThat(stateOf(server.client(), "i-1")).isEqualTo("c");
    }
  }

  @Nested
  @DisplayName("with in-memory storage")
  class InMemory {
    @RegisterExtension
    final RstmdbServerExtension server = RstmdbServerExtension.builder().inMemory().build();

    @Test
    void keepsDataAcrossRestartAndCrash() throws Exception {
      seed(server.client());
      server.restart();
      assertThat(stateOf(server.client(), "i-1")).isEqualTo("b");
      server.crash();
      assertThat(stateOf(server.client(), "i-1")).isEqualTo("b");
    }
  }

  @Nested
  @DisplayName("with auth and TLS")
  class Secured {
    @RegisterExtension
    final RstmdbServerExtension server =
        RstmdbServerExtension.builder().authToken("s3cret").tls(true).fsyncPolicy("never").build();

    @Test
    void clientAuthenticatesOverTls() throws Exception {
      assertThat(call(server.client(), "LIST_MACHINES", "{}").get("items").isArray()).isTrue();
    }

    @Test
    void aClientWithoutTheTokenIsRefused() throws Exception {
      ClientOptions anonymous = server.clientOptions().withToken(null);
      RcpClient client = RcpClient.connect(anonymous).get(10, TimeUnit.SECONDS);
      try {
        assertThatThrownBy(() -> call(client, "LIST_MACHINES", "{}"))
            .isInstanceOf(ExecutionException.class)
            .hasMessageContaining("UNAUTHORIZED");
      } finally {
        client.close();
      }
    }
  }
}
