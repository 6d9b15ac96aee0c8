package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.DeleteInstance;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineListenerTest {
  private final Fixture f = new Fixture();
  private final BlockingQueue<AppliedEvent> events = new LinkedBlockingQueue<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    f.putOrder();
    f.create("o-1");
    f.engine.addListener(
        e -> {
          threads.add(Thread.currentThread().getName());
          events.add(e);
        });
  }

  @AfterEach
  void close() {
    f.wal.release();
    f.close();
  }

  @Test
  void appliedEventsArriveInWalOrderWithTheirDetails() throws Exception {
    f.apply("o-1", "PAY", "{\"amount\":2}");
    f.apply("o-1", "TOUCH", null);
    AppliedEvent first = events.poll(5, TimeUnit.SECONDS);
    AppliedEvent second = events.poll(5, TimeUnit.SECONDS);
    assertThat(first)
        .isEqualTo(
            new AppliedEvent(
                2,
                "o-1",
                "order",
                1,
                "created",
                "paid",
                "PAY",
                json("{\"amount\":2}"),
                json("{\"amount\":2}")));
    assertThat(second.walOffset()).isEqualTo(3);
    assertThat(second.payload()).isEqualTo(NullNode.getInstance());
    assertThat(threads).allMatch(name -> name.startsWith("rstmdb-notify"));
  }

  @Test
  void eventsWaitForDurability() throws Exception {
    f.wal.manual(true);
    f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    assertThat(events.poll(100, TimeUnit.MILLISECONDS)).isNull();
    f.wal.release();
    assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void failedWritesAreNeverAnnounced() throws Exception {
    f.wal.manual(true);
    f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    Thread.sleep(50);
    f.wal.failPending();
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void idempotentReplaysDeletesAndCreatesAreNotAnnounced() throws Exception {
    await(f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, "k")));
    await(f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, "k")));
    await(f.engine.deleteInstance(new DeleteInstance("o-1", null)));
    f.create("o-2");
    assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void batchEventsArriveInOrderAndUnsubscribingStopsDelivery() throws Exception {
    f.create("o-2");
    await(
        f.engine.batch(
            new Batch(
                true,
                List.of(
                    new ApplyEvent("o-1", "PAY", null, null, null, null, null),
                    new ApplyEvent("o-2", "PAY", null, null, null, null, null)))));
    assertThat(events.poll(5, TimeUnit.SECONDS).instanceId()).isEqualTo("o-1");
    assertThat(events.poll(5, TimeUnit.SECONDS).instanceId()).isEqualTo("o-2");

    BlockingQueue<AppliedEvent> second = new LinkedBlockingQueue<>();
    AutoCloseable handle = f.engine.addListener(second::add);
    f.engine.addListener(
        e -> {
          throw new IllegalStateException("a broken listener does not stop the others");
        });
    f.apply("o-1", "TOUCH", null);
    assertThat(second.poll(5, TimeUnit.SECONDS)).isNotNull();
    handle.close();
    f.apply("o-1", "TOUCH", null);
    assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(second.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }
}
