package io.rstmdb.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Sends a fixed number of requests over several connections, keeping {@code depth} in flight on
 * each, and completes when all have answered. The first failed request fails the whole run: a load
 * whose requests fail measures nothing.
 */
final class Pipeline {

  /** One request: the op and its params. */
  record Call(String op, JsonNode params) {}

  private final List<RcpClient> clients;
  private final int depth;

  Pipeline(List<RcpClient> clients, int depth) {
    this.clients = clients;
    this.depth = depth;
  }

  /**
   * Sends {@code count} requests; {@code request} builds request number {@code i} (0-based). Each
   * number is sent exactly once, on whichever connection is free.
   */
  CompletableFuture<Void> run(long count, LongFunction<Call> request) {
    return run(count, request, result -> {});
  }

  /** As {@link #run(long, LongFunction)}, handing every result to {@code results}. */
  CompletableFuture<Void> run(long count, LongFunction<Call> request, Consumer<JsonNode> results) {
    AtomicLong next = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (count == 0) {
      done.complete(null);
      return done;
    }
    Runnable[] sendOn = new Runnable[clients.size()];
    for (int c = 0; c < clients.size(); c++) {
      RcpClient client = clients.get(c);
      Runnable[] self = new Runnable[1];
      self[0] =
          () -> {
            long i = next.getAndIncrement();
            if (i >= count || failure.get() != null) {
              return;
            }
            Call call = request.apply(i);
            client
                .call(call.op(), call.params())
                .whenComplete(
                    (r, e) -> {
                      if (e == null) {
                        results.accept(r);
                      } else if (failure.compareAndSet(null, e)) {
                        done.completeExceptionally(e);
                      }
                      if (answered.incrementAndGet() == count) {
                        done.complete(null);
                      }
                      self[0].run();
                    });
          };
      sendOn[c] = self[0];
    }
    for (int d = 0; d < depth; d++) {
      for (Runnable send : sendOn) {
        send.run();
      }
    }
    return done;
  }
}
