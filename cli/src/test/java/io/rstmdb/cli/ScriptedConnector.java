package io.rstmdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.ConnectionSettings;
import io.rstmdb.cli.connect.Connector;
import io.rstmdb.cli.connect.ServerErrorException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/** A connector whose server is a table of canned answers; it records what was sent. */
final class ScriptedConnector implements Connector {

  record Sent(String op, JsonNode params) {}

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, Function<JsonNode, JsonNode>> answers = new HashMap<>();
  final List<Sent> sent = new ArrayList<>();
  final List<ConnectionSettings> connects = new ArrayList<>();
  private final List<ObjectNode> events = new ArrayList<>();

  ScriptedConnector answer(String op, String resultJson) {
    JsonNode result = json(resultJson);
    answers.put(op, params -> result);
    return this;
  }

  ScriptedConnector answer(String op, Function<JsonNode, JsonNode> fn) {
    answers.put(op, fn);
    return this;
  }

  ScriptedConnector fail(String op, String code, String message) {
    answers.put(
        op,
        params -> {
          throw new ServerErrorException(code, message);
        });
    return this;
  }

  /** Events the session streams right after it answers a WATCH_* request. */
  ScriptedConnector events(String... eventJson) {
    for (String e : eventJson) {
      events.add((ObjectNode) json(e));
    }
    return this;
  }

  JsonNode json(String text) {
    try {
      return mapper.readTree(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Connection connect(ConnectionSettings settings) {
    connects.add(settings);
    List<Consumer<ObjectNode>> listeners = new ArrayList<>();
    return new Connection() {
      @Override
      public CompletableFuture<JsonNode> call(String op, JsonNode params) {
        sent.add(new Sent(op, params == null ? mapper.createObjectNode() : params));
        Function<JsonNode, JsonNode> fn = answers.get(op);
        if (fn == null) {
          return CompletableFuture.failedFuture(
              new ServerErrorException("BAD_REQUEST", "unscripted op " + op));
        }
        try {
          CompletableFuture<JsonNode> answered =
              CompletableFuture.completedFuture(fn.apply(params));
          if (op.startsWith("WATCH_")) {
            events.forEach(e -> listeners.forEach(l -> l.accept(e)));
          }
          return answered;
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public void onEvent(Consumer<ObjectNode> listener) {
        listeners.add(listener);
      }

      @Override
      public void onClose(Runnable listener) {}

      @Override
      public void close() {}
    };
  }
}
