package io.rstmdb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.ServerErrorException;
import io.rstmdb.protocol.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BenchPartsTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private final ExecutorService io = Executors.newSingleThreadExecutor();

  @AfterEach
  void shutdown() {
    io.shutdownNow();
  }

  /** Answers on another thread, like a network client; counts what is in flight. */
  private class AsyncConnection implements Connection {
    final List<String> ops = new ArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    volatile int maxInFlight;
    volatile int failEvery;

    @Override
    public synchronized CompletableFuture<JsonNode> call(String op, JsonNode params) {
      ops.add(op);
      int now = inFlight.incrementAndGet();
      maxInFlight = Math.max(maxInFlight, now);
      int n = ops.size();
      return CompletableFuture.supplyAsync(
          () -> {
            inFlight.decrementAndGet();
            if (failEvery > 0 && n % failEvery == 0) {
              throw new ServerErrorException("CONFLICT", "no");
            }
            return (JsonNode) mapper.createObjectNode().put("pong", true);
          },
          io);
    }

    @Override
    public void onEvent(Consumer<ObjectNode> listener) {}

    @Override
    public void onClose(Runnable listener) {}

    @Override
    public void close() {}
  }

  @Test
  void ioThreadsDefaultToHalfTheCoresOnIoUringAndToTheCoresElsewhere() {
    assertThat(BenchCommand.defaultIoThreads(Transport.IO_URING, 16, 2)).isEqualTo(1);
    assertThat(BenchCommand.defaultIoThreads(Transport.IO_URING, 16, 8)).isEqualTo(4);
    assertThat(BenchCommand.defaultIoThreads(Transport.IO_URING, 16, 1)).isEqualTo(1);
    assertThat(BenchCommand.defaultIoThreads(Transport.IO_URING, 2, 16)).isEqualTo(2);
    assertThat(BenchCommand.defaultIoThreads(Transport.EPOLL, 16, 2)).isEqualTo(2);
    assertThat(BenchCommand.defaultIoThreads(Transport.NIO, 16, 8)).isEqualTo(8);
    assertThat(BenchCommand.defaultIoThreads(Transport.EPOLL, 1, 8)).isEqualTo(1);
  }

  @Test
  void connectionsLostInTheWarmUpStillCountAfterIt() {
    BenchStats stats = new BenchStats();
    stats.error("INSTANCE_NOT_FOUND");
    stats.error(BenchStats.CONNECTION);
    stats.success(100);

    stats.reset();

    assertThat(stats.errorsByCode()).isEqualTo(Map.of(BenchStats.CONNECTION, 1L));
    assertThat(stats.total().getTotalCount()).isZero();
  }

  @Test
  void driverKeepsThePipelineFullAndDrainsOnStop() throws Exception {
    AsyncConnection connection = new AsyncConnection();
    connection.failEvery = 10;
    BenchStats stats = new BenchStats();
    Workload ping =
        new Workload() {
          @Override
          public void setup(Connection c) {}

          @Override
          public BenchRequest next() {
            return new BenchRequest("PING", null);
          }
        };
    Driver driver = new Driver(connection, ping, stats, 4);

    driver.start();
    Thread.sleep(200);
    driver.stop().get(5, TimeUnit.SECONDS);
    stats.roll();

    assertThat(connection.maxInFlight).isBetween(1, 4);
    assertThat(connection.inFlight.get()).isZero();
    Histogram total = stats.total();
    long sent = connection.ops.size();
    assertThat(sent).isGreaterThan(10);
    assertThat(total.getTotalCount() + stats.errorCount()).isEqualTo(sent);
    assertThat(stats.errorsByCode()).containsOnlyKeys("CONFLICT");
  }

  @Test
  void applyWorkloadCreatesItsInstancesAndCyclesThem() {
    List<JsonNode> created = new ArrayList<>();
    Connection setup =
        new AsyncConnection() {
          @Override
          public synchronized CompletableFuture<JsonNode> call(String op, JsonNode params) {
            created.add(params);
            return CompletableFuture.completedFuture(mapper.createObjectNode());
          }
        };
    Workload w = Scenario.APPLY.workload(new Scenario.Settings(mapper, "run1", 3, 200), 7);

    w.setup(setup);

    assertThat(created)
        .extracting(p -> p.path("instance_id").asText())
        .containsExactly("bench-run1-7-0", "bench-run1-7-1", "bench-run1-7-2");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BenchRequest r = w.next();
      assertThat(r.op()).isEqualTo("APPLY_EVENT");
      ids.add(r.params().path("instance_id").asText());
    }
    assertThat(ids)
        .containsExactly(
            "bench-run1-7-0",
            "bench-run1-7-1",
            "bench-run1-7-2",
            "bench-run1-7-0",
            "bench-run1-7-1",
            "bench-run1-7-2");
    int payloadBytes = w.next().params().path("payload").toString().length();
    assertThat(payloadBytes).isBetween(190, 210);
  }

  @Test
  void summaryJsonHasEveryField() {
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i);
    }
    BenchSummary s = BenchSummary.of(Scenario.PING, 2, 8, 2.0, 1.0, h, Map.of("CONFLICT", 3L));

    JsonNode json = s.toJson(mapper);

    assertThat(json.path("ops").asLong()).isEqualTo(1000);
    assertThat(json.path("ops_per_sec").asDouble()).isEqualTo(500.0);
    assertThat(json.path("latency_us").path("p50").asLong()).isEqualTo(500);
    assertThat(json.path("latency_us").path("p99_9").asLong()).isEqualTo(999);
    assertThat(json.path("latency_us").path("max").asLong()).isEqualTo(1000);
    assertThat(json.path("error_count").asLong()).isEqualTo(3);
    assertThat(json.path("errors").path("CONFLICT").asLong()).isEqualTo(3);
  }
}
