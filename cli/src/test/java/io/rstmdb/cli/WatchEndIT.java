package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.cli.connect.RcpConnector;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.testkit.wal.FaultInjectingFileIo;
import io.rstmdb.wal.FileIo;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch whose subscription the server ends (here: its catch-up read of the WAL fails) must not
 * wait forever: the CLI reports the error event on stderr and exits with 1.
 */
class WatchEndIT {

  @TempDir Path dir;

  @Test
  void errorEventEndsTheWatchWithExitCodeOneAndNothingOnStdout() throws Exception {
    FaultInjectingFileIo io = new FaultInjectingFileIo(FileIo.system());
    try (SegmentedWal wal =
            SegmentedWal.open(dir.resolve("wal"), WalOptions.defaults().withIo(io));
        RstmdbServer server =
            RstmdbServer.builder(
                    ServerConfig.defaults()
                        .withDataDir(dir.resolve("data"))
                        .withBind("127.0.0.1:0"))
                .wal(wal)
                .start()) {
      Map<String, String> env = Map.of("RSTMDB_SERVER", "127.0.0.1:" + server.address().getPort());
      cli(env, "put-machine", "-n", "order", "-v", "1", CommandsIT.ORDER);
      cli(env, "create-instance", "-m", "order", "-V", "1", "-i", "o-1");
      cli(env, "apply-event", "-i", "o-1", "-e", "PAY");
      // From here the disk answers nothing: replaying history from offset 1 cannot be served.
      io.failEverything();

      CliRun run = cli(env, "watch-all", "--from-offset", "1");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      String[] err = run.err().split("\n");
      assertThat(err[0]).startsWith("Watching all instances");
      assertThat(err[1]).matches("ERROR [A-Z_]+: .+");
      assertThat(run.err())
          .containsPattern("Subscription sub-[0-9a-f-]+ was ended by the server after 0 events");
    }
  }

  @Test
  void retryableEndSaysWhereToContinue() {
    ScriptedConnector server =
        new ScriptedConnector()
            .answer("WATCH_ALL", "{\"subscription_id\":\"sub-1\",\"wal_offset\":7}")
            .answer("UNWATCH", "{\"subscription_id\":\"sub-1\",\"removed\":false}")
            .events(
                "{\"type\":\"event\",\"subscription_id\":\"sub-0\",\"instance_id\":\"old\","
                    + "\"wal_offset\":3}",
                "{\"type\":\"event\",\"subscription_id\":\"sub-1\",\"instance_id\":\"a\","
                    + "\"wal_offset\":9}",
                "{\"type\":\"event\",\"subscription_id\":\"sub-1\",\"error\":{\"code\":"
                    + "\"WAL_IO_ERROR\",\"message\":\"WAL error: disk gone\",\"retryable\":true}}");

    CliRun run = CliRun.run(server, Map.of(), "", "watch-all");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out().lines()).singleElement().asString().contains("\"instance_id\":\"a\"");
    assertThat(run.err())
        .contains("ERROR WAL_IO_ERROR: WAL error: disk gone\n")
        .contains(
            "Subscription sub-1 was ended by the server after 1 event;"
                + " to continue, watch again with --from-offset 10");
    assertThat(server.sent).extracting(ScriptedConnector.Sent::op).doesNotContain("UNWATCH");
  }

  private static CliRun cli(Map<String, String> env, String... args) {
    CliRun run = CliRun.run(new RcpConnector(), env, "", args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isIn(0, 1);
    return run;
  }
}
