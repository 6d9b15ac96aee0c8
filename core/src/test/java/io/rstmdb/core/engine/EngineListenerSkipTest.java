package io.rstmdb.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.DatabaseListener;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listeners that do not want events are spared the hand-off but hear of every offset. */
class EngineListenerSkipTest {
  private final Fixture f = new Fixture();
  private final BlockingQueue<AppliedEvent> delivered = new LinkedBlockingQueue<>();
  private final List<Long> skipped = new CopyOnWriteArrayList<>();
  private final AtomicBoolean wants = new AtomicBoolean();
  private Runnable onSkip = () -> {};

  @BeforeEach
  void setUp() {
    f.putOrder();
    f.create("o-1");
    f.engine.addListener(
        new DatabaseListener() {
          @Override
          public void onApplied(AppliedEvent event) {
            delivered.add(event);
          }

          @Override
          public boolean wantsEvents() {
            return wants.get();
          }

          @Override
          public void onSkipped(long walOffset) {
            skipped.add(walOffset);
            onSkip.run();
          }
        });
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void unwantedTransitionsAreSkippedWithTheirOffsets() throws Exception {
    f.apply("o-1", "PAY", null);
    f.apply("o-1", "TOUCH", null);
    assertThat(skipped).containsExactly(2L, 3L);
    assertThat(delivered.poll(100, TimeUnit.MILLISECONDS)).isNull();

    wants.set(true);
    f.apply("o-1", "TOUCH", null);
    assertThat(delivered.poll(5, TimeUnit.SECONDS).walOffset()).isEqualTo(4);
    assertThat(skipped).containsExactly(2L, 3L);
  }

  @Test
  void aListenerThatStartsWantingDuringTheSkipStillGetsTheTransition() throws Exception {
    // The window a watcher can open between the database's first question and its skip call.
    onSkip = () -> wants.set(true);
    f.apply("o-1", "PAY", null);
    assertThat(skipped).containsExactly(2L);
    assertThat(delivered.poll(5, TimeUnit.SECONDS).walOffset()).isEqualTo(2);
  }
}
