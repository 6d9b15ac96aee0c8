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

      assertThat(run.exitCode()).isZero();
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
}
