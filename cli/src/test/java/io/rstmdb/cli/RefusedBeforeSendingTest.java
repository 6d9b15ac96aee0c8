package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.cli.connect.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input the CLI or its client refuses before anything is sent: a usage error (exit 2), not a lost
 * connection, and a piped REPL script goes on.
 */
class RefusedBeforeSendingTest {

  private final ScriptedConnector server =
      new ScriptedConnector()
          .answer("PING", "{\"pong\":true}")
          .answer("CREATE_INSTANCE", "{\"instance_id\":\"i-1\",\"state\":\"a\",\"wal_offset\":1}")
          .answer("PUT_MACHINE", "{\"created\":true,\"stored_checksum\":\"x\"}");

  @Test
  void jsonArgumentWithTrailingGarbageIsAUsageErrorAndNothingIsSent() {
    for (String ctx : new String[] {"{\"a\":1}}", "{\"a\":1}x", "{\"a\":1} {\"b\":2}"}) {
      int before = server.sent.size();
      CliRun run = CliRun.run(server, "create-instance", "-m", "m", "-V", "1", "-c", ctx);
      assertThat(run.exitCode()).as(ctx).isEqualTo(2);
      assertThat(run.err()).as(ctx).contains("ctx is not valid JSON");
      assertThat(server.sent.size()).as(ctx).isEqualTo(before);
    }
    CliRun ok = CliRun.run(server, "create-instance", "-m", "m", "-V", "1", "-c", " {\"a\":1}\n");
    assertThat(ok.exitCode()).isZero();
  }

  @Test
  void aRequestTheClientRefusesToSendIsNotAConnectionFailure() {
    ScriptedConnector tooLarge =
        new ScriptedConnector()
            .answer("PING", "{\"pong\":true}")
            .answer(
                "CREATE_INSTANCE",
                params -> {
                  throw new InvalidRequestException(
                      "request too large: payload of 17825930 bytes exceeds the limit of 16777216",
                      null);
                });
    CliRun oneShot = CliRun.run(tooLarge, "create-instance", "-m", "m", "-V", "1");
    assertThat(oneShot.exitCode()).isEqualTo(2);
    assertThat(oneShot.err()).doesNotContain("connection lost").contains("request too large");

    // A piped REPL script must go on: the session is fine.
    CliRun repl = CliRun.run(tooLarge, Map.of(), "c m 1\nping\n");
    assertThat(repl.out()).contains("PONG");
    assertThat(repl.err()).doesNotContain("rest of the script is not run");
    assertThat(repl.exitCode()).isEqualTo(2);
  }
}
