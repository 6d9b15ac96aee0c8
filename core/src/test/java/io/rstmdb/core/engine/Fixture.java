package io.rstmdb.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An engine on in-memory ports, with helpers shared by the engine tests. */
final class Fixture implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** created -PAY-> paid -SHIP-> shipped; CANCEL from created/paid; SHIP guarded by ctx.amount. */
  static final String ORDER =
      """
      {"states":["created","paid","shipped","cancelled"],"initial":"created",
       "transitions":[
        {"from":"created","event":"PAY","to":"paid"},
        {"from":["paid"],"event":"SHIP","to":"shipped","guard":"ctx.amount > 0"},
        {"from":["created","paid"],"event":"CANCEL","to":"cancelled"},
        {"from":"paid","event":"TOUCH","to":"paid"}]}
      """;

  final InMemoryWal wal;
  final InMemorySnapshots snapshots;
  final ManualClock clock = new ManualClock(1_767_225_600_000L);
  final List<String> failpointsHit = new CopyOnWriteArrayList<>();
  EngineConfig config;
  Engine engine;

  Fixture() {
    this(EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()));
  }

  Fixture(EngineConfig config) {
    this(config, new InMemoryWal(), new InMemorySnapshots());
  }

  Fixture(EngineConfig config, InMemoryWal wal, InMemorySnapshots snapshots) {
    this.config = config;
    this.wal = wal;
    this.snapshots = snapshots;
    this.engine = open();
  }

  Engine open() {
    return Engine.open(config, wal, snapshots, clock, failpointsHit::add);
  }

  /** Closes the engine, then recovers a new one from the same ports. */
  Engine restart() {
    engine.close();
    engine = open();
    return engine;
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The RstmdbException a future fails with, asserting its code. */
  static RstmdbException failure(CompletableFuture<?> future, ErrorCode code) {
    Throwable t = catchThrowable(() -> await(future));
    if (t instanceof CompletionException c) {
      t = c.getCause();
    }
    assertThat(t).isInstanceOf(RstmdbException.class);
    RstmdbException e = (RstmdbException) t;
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    return e;
  }

  void putOrder() {
    await(engine.putMachine(new PutMachine("order", 1, json(ORDER), null)));
  }

  CreateInstanceResult create(String id) {
    return await(engine.createInstance(new CreateInstance(id, "order", 1, null, null)));
  }

  ApplyEventResult apply(String id, String event, String payload) {
    return await(
        engine.applyEvent(
            new ApplyEvent(
                id, event, payload == null ? null : json(payload), null, null, null, null)));
  }

  List<WalRecord> walRecords() {
    return wal.read(0, Integer.MAX_VALUE);
  }

  List<JsonNode> dump() {
    return await(engine.dump());
  }

  @Override
  public void close() {
    engine.close();
  }
}
