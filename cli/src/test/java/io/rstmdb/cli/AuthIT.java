package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rstmdb.cli.command.HashTokenCommand;
import io.rstmdb.cli.connect.RcpConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthIT {

  @TempDir Path dir;

  @Test
  void tokensFromFlagsOrEnvironment() {
    try (EmbeddedServer server =
        EmbeddedServer.start(
            dir,
            c ->
                c.withAuth(
                    c.auth()
                        .withRequired(true)
                        .withTokenHashes(List.of(HashTokenCommand.hash("s3cret")))))) {
      CliRun anonymous = server.cli("wal-stats");
      assertThat(anonymous.exitCode()).isEqualTo(1);
      assertThat(anonymous.err()).startsWith("ERROR UNAUTHORIZED: ");

      assertThat(server.cli("ping").exitCode()).isZero();
      assertThat(server.cli("wal-stats", "-t", "s3cret").exitCode()).isZero();

      Map<String, String> env = server.env();
      env.put("RSTMDB_TOKEN", "s3cret");
      assertThat(CliRun.run(new RcpConnector(), env, "", "wal-stats").exitCode()).isZero();

      CliRun wrong = server.cli("--token", "nope", "wal-stats");
      assertThat(wrong.exitCode()).isEqualTo(1);
      assertThat(wrong.err()).startsWith("ERROR AUTH_FAILED: ");

      // A watch that is refused ends at once instead of waiting for events that never come.
      CliRun watcher =
          assertTimeoutPreemptively(Duration.ofSeconds(30), () -> server.cli("watch-all"));
      assertThat(watcher.exitCode()).isEqualTo(1);
      assertThat(watcher.err()).isEqualTo(anonymous.err());
      CliRun badToken =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30), () -> server.cli("watch-instance", "o-1", "-t", "nope"));
      assertThat(badToken.exitCode()).isEqualTo(1);
      assertThat(badToken.err()).startsWith("ERROR AUTH_FAILED: ");
    }
  }
}
