package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplIT {

  @TempDir Path dir;

  @Test
  void aWholeSessionThroughStandardInput() {
    try (EmbeddedServer server = EmbeddedServer.start(dir)) {
      String script =
          String.join(
              "\n",
              "help",
              "pm order 1 " + CommandsIT.ORDER,
              "lm",
              "c order 1 o-1 {\"customer\":\"bob\"}",
              "a o-1 PAY {\"amount\": 7}",
              "g o-1",
              "li order",
              "wal 0 10",
              "ws",
              "get-instance o-1 --json",
              "d o-1",
              "g o-1",
              "exit");

      CliRun run = server.cliWithStdin(script);

      // The last "g o-1" is refused (the instance is deleted): a piped script reports it.
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains("Commands (aliases in parentheses):")
          .contains("Created machine order v1")
          .contains("Created instance o-1")
          .contains("Applied event PAY on o-1")
          .contains("state:           paid")
          .contains("\"customer\" : \"bob\"")
          .contains("[2] 1 | create_instance o-1 (order v1) -> created")
          .contains("WAL statistics")
          .contains("\"state\" : \"paid\"")
          .contains("Deleted instance o-1");
      assertThat(run.err()).contains("ERROR INSTANCE_NOT_FOUND: ");
    }
  }

  @Test
  void aPipedScriptThatWorksExitsZeroAndOneWithAnUnknownCommandExitsTwo() {
    try (EmbeddedServer server = EmbeddedServer.start(dir)) {
      assertThat(server.cliWithStdin("ping\nws\n").exitCode()).isZero();
      CliRun unknown = server.cliWithStdin("ping\nfrobnicate\nping\n");
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.out()).contains("PONG").doesNotContain("Unknown command");
      assertThat(unknown.err()).contains("Unknown command: frobnicate");
    }
  }

  @Test
  void aPipedScriptStopsAtTheFirstConnectionFailure() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CliRun run =
        CliRun.run(
            new io.rstmdb.cli.connect.RcpConnector(),
            java.util.Map.of("RSTMDB_SERVER", "127.0.0.1:" + closedPort),
            "ping\nping\nping\n");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err().lines().filter(l -> l.contains("cannot connect"))).hasSize(1);
    assertThat(run.err()).contains("the rest of the script is not run");
  }
}
