package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.cli.command.HashTokenCommand;
import io.rstmdb.cli.connect.RcpConnector;
import java.nio.file.Path;
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
    }
  }
}
