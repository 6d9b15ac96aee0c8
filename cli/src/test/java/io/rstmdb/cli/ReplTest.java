package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplTest {

  @Test
  void aWatchTheServerEndsGivesThePromptBackOnTheSameSession() {
    ScriptedConnector server =
        new ScriptedConnector()
            .answer("PING", "{\"pong\":true}")
            .answer("WATCH_ALL", "{\"subscription_id\":\"sub-1\",\"wal_offset\":4}")
            .events(
                "{\"type\":\"event\",\"subscription_id\":\"sub-1\",\"error\":{\"code\":"
                    + "\"BAD_REQUEST\",\"message\":\"watch position 4 was removed\","
                    + "\"details\":{\"oldest_offset\":9},\"retryable\":false}}");

    CliRun run = CliRun.run(server, Map.of(), "watch-all\nping\n");

    // The session goes on; the piped script reports the watch the server ended.
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(server.connects).hasSize(1);
    assertThat(server.sent)
        .extracting(ScriptedConnector.Sent::op)
        .containsExactly("WATCH_ALL", "PING");
    assertThat(run.out()).isEqualTo("PONG\n");
    assertThat(run.err())
        .contains(
            "ERROR BAD_REQUEST: watch position 4 was removed\n  details: {\"oldest_offset\":9}\n")
        .contains("Subscription sub-1 was ended by the server after 0 events\n");
  }

  @Test
  void shortCommandsAndOneShotCommandsShareOneSession() {
    ScriptedConnector server =
        new ScriptedConnector()
            .answer("PING", "{\"pong\":true}")
            .answer(
                "PUT_MACHINE",
                "{\"machine\":\"m\",\"version\":1,\"stored_checksum\":\"cc\",\"created\":true}")
            .answer("CREATE_INSTANCE", "{\"instance_id\":\"o-1\",\"state\":\"a\",\"wal_offset\":1}")
            .answer(
                "APPLY_EVENT",
                "{\"from_state\":\"a\",\"to_state\":\"b\",\"ctx\":{\"x\":1},\"wal_offset\":2,\"applied\":true}");
    String script =
        String.join(
            "\n",
            "ping",
            "pm m 1 {\"states\": [\"a\",\"b\"], \"initial\": \"a\"}",
            "c m 1 o-1 {\"x\":0}",
            "a o-1 GO {\"x\": 1}",
            "apply-event -i o-1 -e GO -p '{\"x\": 2}'",
            "frobnicate",
            "g",
            "pm m",
            "d",
            "quit",
            "ping");

    CliRun run = CliRun.run(server, Map.of(), script);

    // Unknown commands and short commands missing their arguments are usage errors.
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(server.connects).hasSize(1);
    assertThat(server.sent)
        .extracting(ScriptedConnector.Sent::op)
        .containsExactly("PING", "PUT_MACHINE", "CREATE_INSTANCE", "APPLY_EVENT", "APPLY_EVENT");
    assertThat(server.sent.get(1).params().path("definition").path("states")).hasSize(2);
    assertThat(server.sent.get(2).params().path("initial_ctx").path("x").asInt()).isZero();
    assertThat(server.sent.get(3).params().path("payload").path("x").asInt()).isEqualTo(1);
    assertThat(server.sent.get(4).params().path("payload").path("x").asInt()).isEqualTo(2);
    assertThat(run.out())
        .contains("PONG\n")
        .contains("Created machine m v1 (checksum: cc)\n")
        .contains("Created instance o-1\n")
        .contains("Applied event GO on o-1\n")
        .doesNotContain("Unknown command");
    assertThat(run.err())
        .contains("Unknown command: frobnicate. Type 'help' for help.\n")
        .contains("Usage: get <id>")
        .contains("Usage: pm <name> <version> <json...>")
        .contains("Usage: delete <id>");
  }

  @Test
  void globalFlagsAfterAShortCommandApplyToItsLine() {
    ScriptedConnector server =
        new ScriptedConnector()
            .answer(
                "GET_INSTANCE",
                "{\"machine\":\"m\",\"version\":1,\"state\":\"a\",\"ctx\":{},\"last_event_id\":null,"
                    + "\"last_wal_offset\":3}")
            .answer(
                "APPLY_EVENT",
                "{\"from_state\":\"a\",\"to_state\":\"b\",\"ctx\":{\"x\":1},\"wal_offset\":4,\"applied\":true}");

    CliRun run = CliRun.run(server, Map.of(), "g p1 --json\na p1 GO {\"x\": 1} --json\ng p1\n");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.sent.get(0).params().path("instance_id").asText()).isEqualTo("p1");
    assertThat(server.sent.get(1).params().path("payload").path("x").asInt()).isEqualTo(1);
    // JSON for the two flagged lines, the human form for the last one.
    assertThat(run.out()).contains("\"last_wal_offset\" : 3").contains("\"to_state\" : \"b\"");
    assertThat(run.out()).contains("state:");
  }

  @Test
  void serverErrorsDoNotEndTheSession() {
    ScriptedConnector server =
        new ScriptedConnector()
            .fail("GET_INSTANCE", "INSTANCE_NOT_FOUND", "instance not found: nope")
            .answer("PING", "{\"pong\":true}");

    CliRun run = CliRun.run(server, Map.of(), "g nope\nping\n", "repl");

    // The session goes on after the error; the piped script still reports it.
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("ERROR INSTANCE_NOT_FOUND: instance not found: nope");
    assertThat(run.out()).isEqualTo("PONG\n");
  }

  @Test
  void quotedArgumentsOfShortCommandsAreOneWordAndBareJsonKeepsItsSpaces() {
    ScriptedConnector server =
        new ScriptedConnector()
            .answer(
                "PUT_MACHINE",
                "{\"machine\":\"my m\",\"version\":1,\"stored_checksum\":\"cc\",\"created\":true}")
            .answer("CREATE_INSTANCE", "{\"instance_id\":\"q\",\"state\":\"a\",\"wal_offset\":1}")
            .answer(
                "APPLY_EVENT",
                "{\"from_state\":\"a\",\"to_state\":\"a\",\"ctx\":{},\"wal_offset\":2,\"applied\":true}");
    String script =
        String.join(
            "\n",
            "c rm 1 q-1 '{\"a\": 1}'",
            "a q-1 GO '{\"b\": 2}'",
            "c rm 1 \"q 3\" {\"a\": 3}",
            "pm \"my m\" 1 '{\"states\": [\"a\"], \"initial\": \"a\"}'",
            "c rm 1 q-4 {\"a\": 4}",
            "a q-4 NOTE {\"t\": \"it is 'ok\"} --json",
            "");

    CliRun run = CliRun.run(server, Map.of(), script);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.sent).hasSize(6);
    assertThat(server.sent.get(0).params().path("instance_id").asText()).isEqualTo("q-1");
    assertThat(server.sent.get(0).params().path("initial_ctx").path("a").asInt()).isEqualTo(1);
    assertThat(server.sent.get(1).params().path("payload").path("b").asInt()).isEqualTo(2);
    assertThat(server.sent.get(2).params().path("instance_id").asText()).isEqualTo("q 3");
    assertThat(server.sent.get(2).params().path("initial_ctx").path("a").asInt()).isEqualTo(3);
    assertThat(server.sent.get(3).params().path("machine").asText()).isEqualTo("my m");
    assertThat(server.sent.get(3).params().path("version").asInt()).isEqualTo(1);
    assertThat(server.sent.get(3).params().path("definition").path("initial").asText())
        .isEqualTo("a");
    assertThat(server.sent.get(4).params().path("initial_ctx").path("a").asInt()).isEqualTo(4);
    assertThat(server.sent.get(5).params().path("payload").path("t").asText())
        .isEqualTo("it is 'ok");
    assertThat(run.out()).contains("\"wal_offset\" : 2");
  }

  @Test
  void anUnclosedQuoteIsAUsageErrorAndTheSessionGoesOn() {
    ScriptedConnector server = new ScriptedConnector().answer("PING", "{\"pong\":true}");
    String script =
        String.join(
            "\n",
            "g \"o-1",
            "a q-1 GO '{\"b\": 2}",
            "apply-event -i o-1 -e 'GO",
            "c m 1 q-1 '{\"a\":1}' extra",
            "ping",
            "");

    CliRun run = CliRun.run(server, Map.of(), script);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(server.sent).extracting(ScriptedConnector.Sent::op).containsExactly("PING");
    assertThat(run.err())
        .contains("ERROR: unclosed quote: \"o-1\n")
        .contains("ERROR: unclosed quote: '{\"b\": 2}\n")
        .contains("ERROR: unclosed quote: 'GO\n")
        .contains("ERROR: unexpected text after the quoted argument: extra\n");
    assertThat(run.out()).isEqualTo("PONG\n");
  }

  @Test
  void aConnectionFlagOnALineIsRefusedAndTheSessionKeepsItsConnection() {
    ScriptedConnector server =
        new ScriptedConnector()
            .answer("PING", "{\"pong\":true}")
            .answer("LIST_MACHINES", "{\"items\":[]}");
    String script =
        String.join(
            "\n",
            "ping -s 127.0.0.1:7613 -k",
            "lm",
            "ping -s 127.0.0.1:7619",
            "get-instance o-1 -t wrong",
            "ping --json",
            "");

    CliRun run = CliRun.run(server, Map.of("RSTMDB_SERVER", "127.0.0.1:7611"), script);

    assertThat(run.exitCode()).isEqualTo(2);
    // One session, opened by the first line that ran, with the settings the REPL started with.
    assertThat(server.connects).hasSize(1);
    assertThat(server.connects.get(0).address().toString()).isEqualTo("127.0.0.1:7611");
    assertThat(server.connects.get(0).tls().enabled()).isFalse();
    assertThat(server.connects.get(0).token()).isNull();
    assertThat(server.sent)
        .extracting(ScriptedConnector.Sent::op)
        .containsExactly("LIST_MACHINES", "PING");
    assertThat(run.err())
        .contains(
            "ERROR: --server, --insecure cannot change the connection of a REPL session: the"
                + " session keeps the connection it was opened with (reconnect reopens it the same"
                + " way); start rstmdb-cli with these flags instead\n")
        .contains("ERROR: --server cannot change the connection of a REPL session")
        .contains("ERROR: --token cannot change the connection of a REPL session");
    assertThat(run.out()).contains("No machines registered").contains("\"pong\" : true");
  }

  @Test
  void everyFlagThatChoosesTheConnectionIsRefusedOnALine() {
    String[] flags = {
      "-s x:1",
      "--server x:1",
      "-t t",
      "--token t",
      "--tls",
      "--ca-cert ca.pem",
      "--client-cert c.pem",
      "--client-key k.pem",
      "-k",
      "--insecure",
      "--server-name db",
      "--wire-mode jsonl"
    };
    for (String flag : flags) {
      ScriptedConnector server = new ScriptedConnector().answer("PING", "{\"pong\":true}");

      CliRun run = CliRun.run(server, Map.of(), "ping " + flag + "\n");

      assertThat(run.exitCode()).as(flag).isEqualTo(2);
      assertThat(run.err()).as(flag).contains("cannot change the connection of a REPL session");
      assertThat(server.connects).as(flag).isEmpty();
    }
  }
}
