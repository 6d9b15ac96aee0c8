package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.Op;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.server.config.AuthConfig;
import io.rstmdb.wal.FileIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 9: hostile ids and the auth gate. Instance ids and machine names with {@code ..}, {@code
 * /}, NUL, 300 bytes and Unicode lookalikes are either refused with BAD_REQUEST or stored as plain
 * data that reads back unchanged after a crash, and never become paths. The no-token and good-token
 * matrix over every op and the 5-failure close are in the server's AuthIT; here: every gated op
 * after a failed AUTH, and that brute force on one connection does not lock others out.
 */
class HostileIdsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> HOSTILE =
      List.of(
          "..",
          "../../../../tmp/evil",
          "a/b",
          "/etc/passwd",
          "nul\u0000byte",
          "x".repeat(300),
          "\uff41\uff44\uff4d\uff49\uff4e", // fullwidth "admin"
          "\u2215etc\u2215evil", // division slashes
          "\u2024\u2024", // one-dot leaders
          "snapshots.manifest",
          "0000000000000001.wal",
          "C:\\evil",
          "",
          " ");

  /** Every op but the session's own (HELLO, AUTH, PING, BYE): the ones the auth gate closes. */
  private static final List<String> GATED =
      Arrays.stream(Op.values())
          .filter(op -> !EnumSet.of(Op.HELLO, Op.AUTH, Op.PING, Op.BYE).contains(op))
          .map(Op::wireName)
          .toList();

  @TempDir Path root;

  @Test
  void hostileIdsAreRefusedOrStoredAsPlainDataNeverAsPaths() throws Exception {
    Path data = root.resolve("data");
    FileTree outside = FileTree.of(root, data);
    InProcessServer server = InProcessServer.start(data, FileIo.system(), c -> c);
    List<String> stored = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> machines = new ArrayList<>();
    try (RcpClient c = server.client(TIMEOUT)) {
      Reply.call(c, "PUT_MACHINE", Writer.machineParams(), TIMEOUT).orFail("PUT_MACHINE");
      for (String id : HOSTILE) {
        ObjectNode machine = Writer.machineParams().put("machine", id);
        Reply m = Reply.call(c, "PUT_MACHINE", machine, TIMEOUT);
        assertThat(m.ok() || "BAD_REQUEST".equals(m.errorCode()))
            .as("PUT_MACHINE %s: %s", id, m)
            .isTrue();
        if (m.ok()) {
          machines.add(id);
        }
        Reply r =
            Reply.call(
                c,
                "CREATE_INSTANCE",
                JSON.objectNode()
                    .put("instance_id", id)
                    .put("machine", Model.MACHINE)
                    .put("version", 1),
                TIMEOUT);
        if (r.ok()) {
          stored.add(id);
          Reply.call(c, "SNAPSHOT_INSTANCE", JSON.objectNode().put("instance_id", id), TIMEOUT)
              .orFail("SNAPSHOT_INSTANCE of a hostile id");
        } else {
          assertThat(r.errorCode()).as("CREATE_INSTANCE %s", id).isEqualTo("BAD_REQUEST");
          refused.add(id);
        }
      }
      Reply.call(c, "COMPACT", JSON.objectNode().put("force_snapshot", true), TIMEOUT)
          .orFail("COMPACT");
    }
    server.crash();
    InProcessServer again = InProcessServer.start(data, FileIo.system(), c -> c);
    try (RcpClient c = again.client(TIMEOUT)) {
      for (String id : stored) {
        JsonNode got =
            Reply.call(c, "GET_INSTANCE", JSON.objectNode().put("instance_id", id), TIMEOUT)
                .orFail("GET_INSTANCE after recovery");
        assertThat(got.path("state").asText()).isEqualTo(Model.INITIAL);
      }
      List<String> listed = new ArrayList<>();
      Reply.call(c, "LIST_INSTANCES", JSON.objectNode().put("limit", 1000), TIMEOUT)
          .orFail("LIST_INSTANCES")
          .path("instances")
          .forEach(i -> listed.add(i.path("id").asText()));
      assertThat(listed)
          .as("ids read back byte for byte")
          .containsExactlyInAnyOrderElementsOf(stored);
      List<String> names = new ArrayList<>();
      Reply.call(c, "LIST_MACHINES", null, TIMEOUT)
          .orFail("LIST_MACHINES")
          .path("items")
          .forEach(i -> names.add(i.path("machine").asText()));
      assertThat(names).containsAll(machines);
    } finally {
      again.close();
    }
    Map<String, String> files = FileTree.all(data);
    for (String path : files.keySet()) {
      assertThat(path)
          .as("every file under data/ has a server-chosen name")
          .matches("|wal|snapshots|(wal|snapshots)/[A-Za-z0-9._-]+");
      assertThat(path).doesNotContain("evil", "passwd", "xxxxxxxxxx", "admin");
    }
    assertThat(FileTree.of(root, data)).as("files outside the data dir").isEqualTo(outside);
    Figures.report(
        "hostile-ids",
        HOSTILE.size()
            + " hostile ids: "
            + stored.size()
            + " stored as data (read back after a crash), "
            + refused.size()
            + " refused with BAD_REQUEST; "
            + machines.size()
            + " accepted as machine names; files named after them: 0; files outside data/: 0");
  }

  @Test
  void afterAFailedAuthEveryGatedOpIsRefusedAndBruteForceLocksOnlyThatConnection()
      throws Exception {
    String token = "the-right-token";
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
    InProcessServer server =
        InProcessServer.start(
            root.resolve("data"),
            FileIo.system(),
            c -> c.withAuth(new AuthConfig(true, List.of(hash), null)));
    int port = server.server().address().getPort();
    try {
      RcpClient anonymous = server.client(TIMEOUT);
      Reply bad =
          Reply.call(
              anonymous,
              "AUTH",
              JSON.objectNode().put("method", "bearer").put("token", "wrong"),
              TIMEOUT);
      assertThat(bad.errorCode()).isEqualTo("AUTH_FAILED");
      for (String op : GATED) {
        assertThat(Reply.call(anonymous, op, JSON.objectNode(), TIMEOUT).errorCode())
            .as("%s after a failed AUTH", op)
            .isEqualTo("UNAUTHORIZED");
      }
      int attempts = 1;
      while (anonymous.isOpen() && attempts < 10) {
        Reply.call(
            anonymous,
            "AUTH",
            JSON.objectNode().put("method", "bearer").put("token", "guess" + attempts),
            TIMEOUT);
        attempts++;
      }
      ChildServer.sleep(200);
      assertThat(anonymous.isOpen()).as("open after %d failed AUTHs", attempts).isFalse();
      assertThat(attempts).isLessThanOrEqualTo(6);
      try (RcpClient good =
          RcpClient.connect(ClientOptions.of("127.0.0.1", port).withToken(token))
              .get(10, TimeUnit.SECONDS)) {
        assertThat(Reply.call(good, "WAL_STATS", null, TIMEOUT).ok()).isTrue();
      }
      Figures.report(
          "auth",
          GATED.size()
              + " gated ops UNAUTHORIZED after a failed AUTH; connection closed after "
              + attempts
              + " failed AUTHs; another connection with the right token still served");
    } finally {
      server.close();
    }
  }
}
