package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EngineConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ATTEMPTS = 150;
  private static final List<String> IDS = List.of("i0", "i1", "i2");

  /**
   * Each thread reads an instance's counter and writes counter+1 guarded by expected_wal_offset.
   * With race-free CONFLICT checks no increment is lost: every instance's final counter equals the
   * number of applies that succeeded on it, and successes plus conflicts equal the attempts.
   */
  @Test
  void compareAndSetAppliesLoseNoUpdates() throws Exception {
    try (Fixture f = new Fixture()) {
      f.putOrder();
      for (String id : IDS) {
        await(f.engine.createInstance(new CreateInstance(id, "order", 1, json("{\"n\":0}"), null)));
        f.apply(id, "PAY", null);
      }
      AtomicLong successes = new AtomicLong();
      AtomicLong conflicts = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int seed = t;
        done.add(
            pool.submit(
                () -> {
                  for (int a = 0; a < ATTEMPTS; a++) {
                    String id = IDS.get((seed + a) % IDS.size());
                    InstanceView view = await(f.engine.getInstance(id));
                    long n = view.ctx().get("n").asLong();
                    try {
                      await(
                          f.engine.applyEvent(
                              new ApplyEvent(
                                  id,
                                  "TOUCH",
                                  json("{\"n\":" + (n + 1) + "}"),
                                  null,
                                  view.lastWalOffset(),
                                  null,
                                  null)));
                      successes.incrementAndGet();
                    } catch (RstmdbException | CompletionException e) {
                      RstmdbException r =
                          e instanceof RstmdbException x ? x : (RstmdbException) e.getCause();
                      assertThat(r.code()).isEqualTo(ErrorCode.CONFLICT);
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(successes.get() + conflicts.get()).isEqualTo((long) THREADS * ATTEMPTS);
      long total = 0;
      for (String id : IDS) {
        total += await(f.engine.getInstance(id)).ctx().get("n").asLong();
      }
      assertThat(total).isEqualTo(successes.get());
      long touches =
          f.walRecords().stream()
              .filter(r -> r.entry().body().path("event").asText().equals("TOUCH"))
              .count();
      assertThat(touches).isEqualTo(successes.get());
    }
  }

  @Test
  void concurrentCreatesOfOneIdLetExactlyOneWin() throws Exception {
    try (Fixture f = new Fixture()) {
      f.putOrder();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < THREADS * 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  try {
                    f.create("same");
                    return true;
                  } catch (RstmdbException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_EXISTS);
                    return false;
                  }
                }));
      }
      long winners = 0;
      for (Future<Boolean> r : results) {
        winners += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      pool.shutdown();
      assertThat(winners).isEqualTo(1);
      assertThat(f.walRecords()).hasSize(2);
    }
  }
}
