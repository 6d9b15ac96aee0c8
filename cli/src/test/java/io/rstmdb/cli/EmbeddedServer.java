package io.rstmdb.cli;

import io.rstmdb.cli.connect.RcpConnector;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real server on a loopback port with its data in a test directory, and CLI runs against it. */
final class EmbeddedServer implements AutoCloseable {

  private final RstmdbServer server;

  private EmbeddedServer(RstmdbServer server) {
    this.server = server;
  }

  static EmbeddedServer start(Path dataDir) {
    return start(dataDir, UnaryOperator.identity());
  }

  static EmbeddedServer start(Path dataDir, UnaryOperator<ServerConfig> tweak) {
    ServerConfig config =
        tweak.apply(ServerConfig.defaults().withDataDir(dataDir).withBind("127.0.0.1:0"));
    return new EmbeddedServer(RstmdbServer.builder(config).start());
  }

  int port() {
    return server.address().getPort();
  }

  /** {@code 127.0.0.1:PORT}, as RSTMDB_SERVER takes it. */
  String hostPort() {
    return "127.0.0.1:" + port();
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("RSTMDB_SERVER", hostPort());
    return env;
  }

  /** Runs the CLI in-process with RSTMDB_SERVER pointing here. */
  CliRun cli(String... args) {
    return CliRun.run(new RcpConnector(), env(), "", args);
  }

  CliRun cliWithStdin(String stdin, String... args) {
    return CliRun.run(new RcpConnector(), env(), stdin, args);
  }

  @Override
  public void close() {
    server.close();
  }
}
