package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A watch session on Netty's EmbeddedChannel, driven from the test thread: event-loop tasks run
 * only when the test asks, so every interleaving is deterministic.
 */
final class EmbeddedWatch implements AutoCloseable {
  static final MessageCodec CODEC = new MessageCodec();

  final FakeDatabase db;
  final WatchHub hub;
  final EmbeddedChannel channel = new EmbeddedChannel();
  final WatchSession session;
  private int ids;

  EmbeddedWatch(FakeDatabase db, WatchSettings settings) {
    this.db = db;
    this.hub = new WatchHub(db, settings, CODEC);
    this.session = hub.newSession(channel);
  }

  EmbeddedWatch(FakeDatabase db) {
    this(db, WatchSettings.withMaxSubscriptions(8));
  }

  /** Sends a watch op and returns its result (the event-loop tasks it queued stay pending). */
  JsonNode call(String op, String paramsJson) throws Exception {
    return start(op, paramsJson).get(5, TimeUnit.SECONDS);
  }

  CompletableFuture<JsonNode> start(String op, String paramsJson) throws Exception {
    JsonNode params = paramsJson == null ? null : CODEC.mapper().readTree(paramsJson);
    return session.handle(new Request(String.valueOf(++ids), op, params));
  }

  /** The failure of a watch op. */
  Throwable failure(String op, String paramsJson) throws Exception {
    try {
      call(op, paramsJson);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError(op + " succeeded");
  }

  /** Runs pending event-loop work, then returns every frame written so far. */
  List<ObjectNode> frames() {
    channel.runPendingTasks();
    List<ObjectNode> out = new ArrayList<>();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      try {
        out.add((ObjectNode) CODEC.readTree(buf));
      } finally {
        buf.release();
      }
    }
    return out;
  }

  /** Marks the channel unwritable (or writable again) as a full outbound buffer would. */
  void writable(boolean writable) {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    session.writabilityChanged();
  }

  @Override
  public void close() {
    session.close();
    hub.close();
    channel.finishAndReleaseAll();
    db.close();
  }
}
