package io.rstmdb.cli.bench;

import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.ServerErrorException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps {@code pipeline} requests in flight on one connection: each completion records its latency
 * and sends the next request from the I/O thread, so the tool adds no thread hops of its own.
 */
final class Driver {

  private final Connection connection;
  private final Workload workload;
  private final BenchStats stats;
  private final int pipeline;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean stopping;
  private volatile boolean broken;

  Driver(Connection connection, Workload workload, BenchStats stats, int pipeline) {
    this.connection = connection;
    this.workload = workload;
    this.stats = stats;
    this.pipeline = pipeline;
  }

  void start() {
    for (int i = 0; i < pipeline; i++) {
      inFlight.incrementAndGet();
      send();
    }
  }

  /** Stops issuing; the future completes when every request in flight has answered. */
  CompletableFuture<Void> stop() {
    stopping = true;
    if (inFlight.get() == 0) {
      drained.complete(null);
    }
    return drained;
  }

  private void send() {
    BenchRequest request = workload.next();
    long start = System.nanoTime();
    connection.send(request.prepared()).whenComplete((r, e) -> done(start, e));
  }

  private void done(long start, Throwable error) {
    if (error == null) {
      stats.success((System.nanoTime() - start) / 1_000);
    } else {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof ServerErrorException) {
        stats.error(((ServerErrorException) cause).code());
      } else {
        // A broken session would fail every later call at once; stop instead of spinning.
        stats.error(BenchStats.CONNECTION);
        broken = true;
      }
    }
    if (stopping || broken) {
      if (inFlight.decrementAndGet() == 0) {
        drained.complete(null);
      }
      return;
    }
    send();
  }
}
