package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.Command;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.WalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch streams on top of the real engine (in-memory WAL with asynchronous durability). */
class EngineWatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WalEventDecoder DECODER = new WalEventDecoder();

  private final MemoryWal wal = new MemoryWal();
  private final EventLoopGroup clients =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Engine engine;

  @BeforeEach
  void open() throws Exception {
    engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(new EngineConfig.Compaction(false, 0, 0, 0)),
            wal,
            new NoSnapshots(),
            Clock.system(),
            Failpoints.NONE);
    JsonNode definition =
        JSON.readTree(
            "{\"states\":[\"a\",\"b\"],\"initial\":\"a\",\"transitions\":["
                + "{\"from\":[\"a\",\"b\"],\"event\":\"A\",\"to\":\"b\"},"
                + "{\"from\":[\"a\",\"b\"],\"event\":\"B\",\"to\":\"a\"}]}");
    engine.putMachine(new PutMachine("order", 1, definition, null)).get(5, TimeUnit.SECONDS);
    engine.putMachine(new PutMachine("user", 1, definition, null)).get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    engine.close();
    wal.close();
  }

  private SocketWatchServer server(WatchSettings settings, WriteBufferWaterMark mark)
      throws Exception {
    SocketWatchServer server = new SocketWatchServer(engine, settings, mark);
    closeables.add(server);
    return server;
  }

  private SocketWatchClient client(SocketWatchServer server, int receiveBuffer) throws Exception {
    SocketWatchClient client = new SocketWatchClient(clients, server.address(), receiveBuffer);
    closeables.add(client);
    return client;
  }

  private void create(String id, String machine) throws Exception {
    engine.createInstance(new CreateInstance(id, machine, 1, null, null)).get(5, TimeUnit.SECONDS);
  }

  private CompletableFuture<?> apply(String id, String event, String key) {
    ObjectNode payload = JSON.createObjectNode().put("k", event);
    return engine.applyEvent(new ApplyEvent(id, event, payload, null, null, null, key));
  }

  /** Every matching apply_event offset at or after {@code from}, read back through the engine. */
  private List<Long> expected(long from, Predicate<AppliedEvent> filter) throws Exception {
    List<Long> out = new ArrayList<>();
    long next = from;
    while (true) {
      WalReadResult page = engine.readWal(next, 1000).get(5, TimeUnit.SECONDS);
      if (page.records().isEmpty()) {
        return out;
      }
      for (WalRecord record : page.records()) {
        Optional<AppliedEvent> event = DECODER.decode(record);
        if (event.isPresent() && filter.test(event.get())) {
          out.add(record.offset());
        }
      }
      next = page.nextOffset();
    }
  }

  private static List<Long> await(SocketWatchClient client, String sub, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.eventCount(sub) < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50);
    return client.events(sub).stream().map(e -> e.get("wal_offset").longValue()).toList();
  }

  @Test
  void subscribersSeeTheWalsMatchingSequenceWhileWritersAndBatchesRace() throws Exception {
    SocketWatchServer server = server(new WatchSettings(8, 32, 64), WriteBufferWaterMark.DEFAULT);
    for (int i = 0; i < 6; i++) {
      create("i-" + i, i % 2 == 0 ? "order" : "user");
    }
    SocketWatchClient early = client(server, 0);
    JsonNode all = early.call("WATCH_ALL", "{\"include_ctx\":false}");
    JsonNode orders = early.call("WATCH_ALL", "{\"machines\":[\"order\"],\"to_states\":[\"b\"]}");
    JsonNode one = early.call("WATCH_INSTANCE", "{\"instance_id\":\"i-1\"}");

    List<CompletableFuture<?>> writes = new ArrayList<>();
    SocketWatchClient late = null;
    JsonNode replay = null;
    JsonNode liveLate = null;
    for (int n = 0; n < 3000; n++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      String id = "i-" + random.nextInt(6);
      if (n % 50 == 0) {
        List<Command> batch =
            List.of(
                new ApplyEvent(id, "A", null, null, null, null, null),
                new ApplyEvent(id, "B", null, null, null, null, null));
        writes.add(engine.batch(new Batch(true, batch)));
      } else {
        writes.add(apply(id, random.nextBoolean() ? "A" : "B", null));
      }
      if (n == 1000) {
        late = client(server, 0);
        replay = late.call("WATCH_ALL", "{\"from_offset\":1}");
        liveLate = late.call("WATCH_ALL", "{\"events\":[\"B\"]}");
      }
      if (n % 200 == 0) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        writes.clear();
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    check(early, all.get("subscription_id").asText(), all.get("wal_offset").asLong(), e -> true);
    check(
        early,
        orders.get("subscription_id").asText(),
        orders.get("wal_offset").asLong(),
        e -> e.machine().equals("order") && e.toState().equals("b"));
    check(
        early,
        one.get("subscription_id").asText(),
        one.get("current_wal_offset").asLong() + 1,
        e -> e.instanceId().equals("i-1"));
    check(late, replay.get("subscription_id").asText(), 1, e -> true);
    check(
        late,
        liveLate.get("subscription_id").asText(),
        liveLate.get("wal_offset").asLong(),
        e -> e.event().equals("B"));

    ObjectNode event = early.events(all.get("subscription_id").asText()).get(0);
    assertThat(event.has("ctx")).isFalse();
    assertThat(event.get("machine").asText()).isIn("order", "user");
    assertThat(event.get("version").asLong()).isEqualTo(1);
  }

  private void check(SocketWatchClient client, String sub, long from, Predicate<AppliedEvent> f)
      throws Exception {
    List<Long> want = expected(from, f);
    assertThat(want).isNotEmpty();
    assertThat(await(client, sub, want.size())).as("%s from %d", sub, from).isEqualTo(want);
  }

  @Test
  void historyWrittenBeforeTheServerStartedIsReplayedThenLiveFollows() throws Exception {
    create("o-1", "order");
    for (int i = 0; i < 50; i++) {
      apply("o-1", i % 2 == 0 ? "A" : "B", null).get(5, TimeUnit.SECONDS);
    }
    // The hub registers now: the 50 transitions above will never be notified to it.
    SocketWatchServer server = server(new WatchSettings(4, 8, 7), WriteBufferWaterMark.DEFAULT);
    SocketWatchClient client = client(server, 0);
    String sub = client.call("WATCH_ALL", "{\"from_offset\":1}").get("subscription_id").asText();
    for (int i = 0; i < 10; i++) {
      apply("o-1", "A", null).get(5, TimeUnit.SECONDS);
    }
    List<Long> want = expected(1, e -> true);
    assertThat(want).hasSize(60);
    assertThat(await(client, sub, 60)).isEqualTo(want);
  }

  @Test
  void idempotentReplaysEmitNoEventAndDeletedInstancesCannotBeWatched() throws Exception {
    SocketWatchServer server = server(new WatchSettings(8, 32, 64), WriteBufferWaterMark.DEFAULT);
    create("o-1", "order");
    create("o-2", "order");
    SocketWatchClient client = client(server, 0);
    String sub =
        client.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}").get("subscription_id").asText();

    apply("o-1", "A", "key-1").get(5, TimeUnit.SECONDS);
    apply("o-1", "A", "key-1").get(5, TimeUnit.SECONDS); // replay: applied=false, no event
    apply("o-1", "B", null).get(5, TimeUnit.SECONDS);
    assertThat(await(client, sub, 2)).hasSize(2);
    assertThat(client.events(sub).get(0).get("payload").get("k").asText()).isEqualTo("A");
    assertThat(client.events(sub).get(1).get("event").asText()).isEqualTo("B");

    engine.deleteInstance(new DeleteInstance("o-2", null)).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> client.call("WATCH_INSTANCE", "{\"instance_id\":\"o-2\"}"))
        .hasMessageContaining("INSTANCE_NOT_FOUND");
  }

  @Test
  void aStalledReaderWhosePositionIsCompactedGetsTheErrorEventAndIsEnded() throws Exception {
    SocketWatchServer server =
        server(new WatchSettings(4, 4, 16), new WriteBufferWaterMark(1024, 2048));
    create("o-1", "order");
    SocketWatchClient slow = client(server, 2048);
    String sub = slow.call("WATCH_ALL", null).get("subscription_id").asText();
    slow.autoRead(false);
    for (int i = 0; i < 2000; i++) {
      apply("o-1", i % 2 == 0 ? "A" : "B", null).get(5, TimeUnit.SECONDS);
    }
    Thread.sleep(100);
    long head = engine.walHead();
    wal.deleteBefore(head); // compaction removes everything the reader has not seen
    assertThat(engine.walOldest()).isEqualTo(head);

    slow.autoRead(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline
        && slow.events(sub).stream().noneMatch(e -> e.has("error"))) {
      Thread.sleep(10);
    }
    List<ObjectNode> events = slow.events(sub);
    ObjectNode last = events.get(events.size() - 1);
    assertThat(last.get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(last.get("error").get("details").get("oldest_offset").asLong()).isEqualTo(head);
    assertThat(events.size()).isLessThan(2000);
    assertThat(server.hub().activeSubscriptions(WatchKind.ALL)).isZero();
    // What arrived before the error is still a gap-free prefix.
    List<Long> delivered =
        events.subList(0, events.size() - 1).stream()
            .map(e -> e.get("wal_offset").longValue())
            .toList();
    for (int i = 1; i < delivered.size(); i++) {
      assertThat(delivered.get(i)).isEqualTo(delivered.get(i - 1) + 1);
    }
  }
}
