package io.rstmdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real server on a free port with its data in a temp dir, plus clients that close with it. */
final class ServerFixture implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();

  static final String ORDER =
      "{\"states\":[\"created\",\"paid\",\"shipped\"],\"initial\":\"created\",\"transitions\":["
          + "{\"from\":\"created\",\"event\":\"PAY\",\"to\":\"paid\"},"
          + "{\"from\":[\"paid\"],\"event\":\"SHIP\",\"to\":\"shipped\",\"guard\":\"ctx.amount > 0\"}]}";

  final RstmdbServer server;
  private final List<RcpClient> clients = new ArrayList<>();

  ServerFixture(Path dir, UnaryOperator<ServerConfig> tweak) {
    ServerConfig config =
        tweak.apply(ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0"));
    this.server = RstmdbServer.builder(config).start();
  }

  ServerFixture(Path dir) {
    this(dir, c -> c);
  }

  int port() {
    return server.address().getPort();
  }

  ClientOptions options() {
    return ClientOptions.of("127.0.0.1", port()).withRequestTimeout(Duration.ofSeconds(10));
  }

  RcpClient client() {
    return client(options());
  }

  RcpClient client(ClientOptions options) {
    try {
      RcpClient c = RcpClient.connect(options).get(10, TimeUnit.SECONDS);
      clients.add(c);
      return c;
    } catch (Exception e) {
      throw new AssertionError("connect failed", e);
    }
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode call(RcpClient client, String op, String params) {
    try {
      return client.call(op, params == null ? null : json(params)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(op + " failed", e);
    }
  }

  @Override
  public void close() {
    clients.forEach(RcpClient::close);
    server.close();
  }
}
