package io.rstmdb.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rstmdb.protocol.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Request and connection metrics under the reference's Prometheus names (server-and-cli.md §6):
 * {@code rstmdb_requests_total{operation}}, {@code rstmdb_errors_total{code}}, {@code
 * rstmdb_request_duration_seconds{operation}} (histogram with the reference's buckets), {@code
 * rstmdb_connections_total} and {@code rstmdb_connections_active}.
 */
public final class ServerMetrics {

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private final MeterRegistry registry;
  private final Counter connectionsTotal;
  private final AtomicInteger connectionsActive = new AtomicInteger();
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Function<String, Counter> newRequestCounter;
  private final Function<String, Timer> newRequestTimer;
  private final Function<String, Counter> newErrorCounter;

  public ServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.newRequestCounter =
        counterPer("rstmdb.requests", "Requests handled, by operation", "operation");
    this.newRequestTimer =
        op ->
            Timer.builder("rstmdb.request.duration")
                .description("Request latency, by operation")
                .tag("operation", op)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    this.newErrorCounter = counterPer("rstmdb.errors", "Error responses, by code", "code");
    this.connectionsTotal =
        Counter.builder("rstmdb.connections")
            .description("Connections accepted below the limit")
            .register(registry);
    registry.gauge("rstmdb.connections.active", connectionsActive);
    // Every code's series from the start, at 0: an alert on rate(rstmdb_errors_total{code=...})
    // has nothing to work on while its series does not exist yet.
    for (ErrorCode code : ErrorCode.values()) {
      errors.computeIfAbsent(code.name(), newErrorCounter);
    }
  }

  /** Makes the counter {@code name} for one value of the tag {@code tag}. */
  private Function<String, Counter> counterPer(String name, String description, String tag) {
    return value ->
        Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void connectionOpened() {
    connectionsTotal.increment();
    connectionsActive.incrementAndGet();
  }

  public void connectionClosed() {
    connectionsActive.decrementAndGet();
  }

  /** An error sent without a request to answer: a connection refused over the limit. */
  public void connectionError(String errorCode) {
    errors.computeIfAbsent(errorCode, newErrorCounter).increment();
  }

  public int activeConnections() {
    return connectionsActive.get();
  }

  /**
   * Records one handled request.
   *
   * @param errorCode the wire error code, or {@code null} on success
   */
  public void request(String operation, long nanos, String errorCode) {
    // The meter-making functions are fields: a lambda written here captures the registry and
    // would be a new object on every request, even when the meter exists (~3 % of the server's
    // allocation, docs/performance.md).
    requests.computeIfAbsent(operation, newRequestCounter).increment();
    durations.computeIfAbsent(operation, newRequestTimer).record(nanos, TimeUnit.NANOSECONDS);
    if (errorCode != null) {
      errors.computeIfAbsent(errorCode, newErrorCounter).increment();
    }
  }
}
