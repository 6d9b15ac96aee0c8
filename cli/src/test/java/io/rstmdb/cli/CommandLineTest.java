package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.connect.ConnectionFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class CommandLineTest {

  private final ScriptedConnector server =
      new ScriptedConnector().answer("PING", "{\"pong\":true}");

  @Test
  void globalOptionsWorkBeforeAndAfterTheSubcommand() {
    CliRun before = CliRun.run(server, "-s", "db.example:7000", "--json", "ping");
    CliRun after = CliRun.run(server, "ping", "-s", "localhost:7001", "-t", "secret", "--json");

    assertThat(before.exitCode()).isZero();
    assertThat(after.exitCode()).isZero();
    assertThat(server.connects.get(0).address().toString()).isEqualTo("db.example:7000");
    assertThat(server.connects.get(1).address().host()).isEqualTo("localhost");
    assertThat(server.connects.get(1).address().port()).isEqualTo(7001);
    assertThat(server.connects.get(1).token()).isEqualTo("secret");
    assertThat(after.out()).contains("\"pong\" : true");
  }

  @TempDir Path dir;

  @Test
  void environmentFillsInWhatFlagsLeaveOpenAndFlagsWin() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not checked before connecting");
    Map<String, String> env =
        Map.of(
            "RSTMDB_SERVER", "10.1.2.3:9000",
            "RSTMDB_TOKEN", "from-env",
            "RSTMDB_TLS", "TRUE",
            "RSTMDB_CA_CERT", ca.toString());
    CliRun envOnly = CliRun.run(server, env, "", "ping");
    CliRun flagged = CliRun.run(server, env, "", "ping", "-s", "127.0.0.1:1", "-t", "flag");

    assertThat(envOnly.out()).isEqualTo("PONG\n");
    var fromEnv = server.connects.get(0);
    assertThat(fromEnv.address().toString()).isEqualTo("10.1.2.3:9000");
    assertThat(fromEnv.token()).isEqualTo("from-env");
    assertThat(fromEnv.tls().enabled()).isTrue();
    assertThat(fromEnv.tls().caCert()).isEqualTo(ca);
    var fromFlags = server.connects.get(1);
    assertThat(fromFlags.address().toString()).isEqualTo("127.0.0.1:1");
    assertThat(fromFlags.token()).isEqualTo("flag");
  }

  @Test
  void tlsFromTheEnvironmentReadsBooleansAsTheServerDoesAndRefusesOthers() {
    for (String on : new String[] {"yes", "ON", "1"}) {
      CliRun run = CliRun.run(server, Map.of("RSTMDB_TLS", on), "", "ping");
      assertThat(run.exitCode()).as(on).isZero();
      assertThat(server.connects.get(server.connects.size() - 1).tls().enabled()).as(on).isTrue();
    }
    CliRun off = CliRun.run(server, Map.of("RSTMDB_TLS", "no"), "", "ping");
    assertThat(server.connects.get(server.connects.size() - 1).tls().enabled()).isFalse();
    assertThat(off.exitCode()).isZero();
    // A typo must not mean plaintext.
    int before = server.connects.size();
    CliRun typo = CliRun.run(server, Map.of("RSTMDB_TLS", "ture"), "", "ping");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("RSTMDB_TLS: expected 1, true, yes or on");
    assertThat(server.connects).hasSize(before);
  }

  @Test
  void everyCommandHasHelpAndSoDoesTheHelpCommand() {
    for (String command : new String[] {"ping", "create-instance", "watch-all", "bench"}) {
      CliRun run = CliRun.run(server, command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).startsWith("Usage: rstmdb-cli " + command);
      assertThat(CliRun.run(server, command, "-h").exitCode()).as(command).isZero();
    }
    // Every exit code of docs/cli.md's table, 130 (a watch ended by Ctrl+C) included.
    assertThat(CliRun.run(server, "--help").out().replaceAll("\\s+", " "))
        .contains(
            "Exit codes: 0 ok, 1 server error (or output not writable), 2 usage error,"
                + " 3 connection or TLS error, 130 watch stopped by Ctrl+C.");
    CliRun help = CliRun.run(server, "help", "apply-event");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: rstmdb-cli apply-event");
    assertThat(server.connects).isEmpty();
  }

  /**
   * Picocli runs every help text through {@code String.format}; a bare {@code %} made it print a
   * WARN line to the terminal and show the raw text ({@code bench --help}).
   */
  @Test
  void everyHelpTextIsAValidFormatString() {
    CliContext ctx = silentContext();
    List<String> texts = new ArrayList<>();
    collectHelpTexts(Main.commandLine(ctx), texts);

    assertThat(texts).hasSizeGreaterThan(100);
    for (String text : texts) {
      assertThatCode(() -> String.format(text)).as(text).doesNotThrowAnyException();
    }
  }

  /**
   * The command list shows each command's first sentence, and picocli ends a sentence at any dot:
   * "... a token for auth.token_hashes." was listed as "... a token for auth.".
   */
  @Test
  void noCommandSummaryHoldsADottedName() {
    CliContext ctx = silentContext();
    Main.commandLine(ctx)
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              String[] description = sub.getCommandSpec().usageMessage().description();
              assertThat(description).as(name).isNotEmpty();
              assertThat(description[0]).as(name).doesNotContainPattern("\\w\\.\\w");
            });
  }

  /** A context whose output goes nowhere, for walking the command tree. */
  private CliContext silentContext() {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    return new CliContext(
        sink,
        sink,
        InputStream.nullInputStream(),
        Map.of(),
        new GlobalOptions(),
        server,
        new ObjectMapper());
  }

  private static void collectHelpTexts(CommandLine cli, List<String> texts) {
    CommandSpec spec = cli.getCommandSpec();
    texts.addAll(List.of(spec.usageMessage().description()));
    spec.options().forEach(o -> texts.addAll(List.of(o.description())));
    spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
    cli.getSubcommands().values().forEach(sub -> collectHelpTexts(sub, texts));
  }

  /** Jackson reads 1e400 as Infinity; sent, it became null and a guard 'ctx.x == null' passed. */
  @Test
  void aNumberBeyondDoubleRangeIsAUsageErrorAndNothingIsSent() {
    CliRun ctx =
        CliRun.run(server, "create-instance", "-m", "m", "-V", "1", "-c", "{\"x\":[1,1e400]}");
    CliRun payload =
        CliRun.run(server, "apply-event", "-i", "o", "-e", "E", "-p", "{\"y\":-2e999}");

    assertThat(ctx.exitCode()).isEqualTo(2);
    assertThat(ctx.err()).contains("is not valid JSON: a number is out of range");
    assertThat(payload.exitCode()).isEqualTo(2);
    assertThat(server.connects).isEmpty();
  }

  @Test
  void aTlsFileThatCannotBeReadIsAUsageError() {
    CliRun run = CliRun.run(server, "--ca-cert", dir.resolve("missing.pem").toString(), "ping");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--ca-cert (RSTMDB_CA_CERT): cannot read ")
        .contains("no such file");
    assertThat(server.connects).isEmpty();
  }

  @Test
  void outputThatCannotBeWrittenIsAFailure() {
    PrintStream full =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("No space left on device");
              }
            },
            true);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"ping"},
            full,
            new PrintStream(err, true),
            InputStream.nullInputStream(),
            Map.of(),
            server);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("ERROR: cannot write to standard output");
  }

  @Test
  void defaultsToTheReferencePortWithoutTls() {
    CliRun run = CliRun.run(server, "ping");

    assertThat(run.exitCode()).isZero();
    assertThat(server.connects.get(0).address().toString()).isEqualTo("127.0.0.1:7401");
    assertThat(server.connects.get(0).tls().enabled()).isFalse();
    assertThat(server.connects.get(0).jsonl()).isFalse();
  }

  @Test
  void insecureAndWireModeAreResolved() {
    CliRun run = CliRun.run(server, "ping", "-k", "--wire-mode", "jsonl", "--server-name", "db");

    assertThat(run.exitCode()).isZero();
    assertThat(server.connects.get(0).tls().enabled()).isTrue();
    assertThat(server.connects.get(0).tls().insecure()).isTrue();
    assertThat(server.connects.get(0).tls().serverName()).isEqualTo("db");
    assertThat(server.connects.get(0).jsonl()).isTrue();
  }

  @Test
  void badFlagIsAUsageErrorWithExitCodeTwo() {
    CliRun run = CliRun.run(server, "ping", "--no-such-flag");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("ERROR: Unknown option: '--no-such-flag'");
    assertThat(server.connects).isEmpty();
  }

  @Test
  void malformedValuesAreUsageErrors() {
    assertThat(CliRun.run(server, "-s", "nonsense", "ping").exitCode()).isEqualTo(2);
    assertThat(CliRun.run(server, "--wire-mode", "xml", "ping").exitCode()).isEqualTo(2);
    assertThat(CliRun.run(server, "--client-cert", "/c.pem", "ping").exitCode()).isEqualTo(2);
    CliRun badJson = CliRun.run(server, "put-machine", "-n", "m", "-v", "1", "{nope");
    assertThat(badJson.exitCode()).isEqualTo(2);
    assertThat(badJson.err()).startsWith("ERROR: definition is not valid JSON");
    assertThat(server.connects).isEmpty();
  }

  @Test
  void serverErrorsPrintTheCodeAndExitOne() {
    server.fail("GET_INSTANCE", "INSTANCE_NOT_FOUND", "instance not found: x");

    CliRun run = CliRun.run(server, "get-instance", "x");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR INSTANCE_NOT_FOUND: instance not found: x\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void connectionFailuresAreOneLineAndExitThree() {
    CliRun run =
        CliRun.run(
            settings -> {
              throw new ConnectionFailedException(
                  "cannot connect to " + settings.address() + ": connection refused",
                  new java.net.ConnectException("Connection refused"));
            },
            "ping");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo("ERROR: cannot connect to 127.0.0.1:7401: connection refused\n");
  }

  @Test
  void verboseShowsTheStackTraceOfConnectionFailures() {
    CliRun run =
        CliRun.run(
            settings -> {
              throw new ConnectionFailedException(
                  "cannot connect to x:1: connection refused", null);
            },
            "ping",
            "-v");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("\tat ").contains("ERROR: cannot connect");
  }

  @Test
  void dashVStaysTheVersionFlagOfPutMachine() {
    server.answer(
        "PUT_MACHINE",
        "{\"machine\":\"m\",\"version\":3,\"stored_checksum\":\"ab\",\"created\":true}");

    CliRun run =
        CliRun.run(
            server, "put-machine", "-n", "m", "-v", "3", "{\"states\":[\"a\"]}", "--verbose");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("Created machine m v3 (checksum: ab)\n");
    assertThat(server.sent.get(0).params().path("version").asLong()).isEqualTo(3);
  }

  @Test
  void atFileArgumentsAreJsonFilesNotPicocliArgumentFiles(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("def.json");
    java.nio.file.Files.writeString(file, "{\"states\": [\"a\", \"b\"], \"initial\": \"a\"}");
    server.answer("PUT_MACHINE", "{\"stored_checksum\":\"ab\",\"created\":true}");

    CliRun run = CliRun.run(server, "put-machine", "-n", "m", "-v", "1", "@" + file);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.sent.get(0).params().path("definition").path("states")).hasSize(2);
  }

  @Test
  void hashTokenNeedsNoServer() {
    CliRun run = CliRun.run(server, "hash-token", "test");

    assertThat(run.out())
        .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
    assertThat(server.connects).isEmpty();
  }
}
