package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.port.WalPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends inside a burst wake the writer once, when the burst ends (or once enough are queued), and
 * hold up nobody else.
 */
class WriteBurstTest {
  /** How long an append is given to (wrongly) become durable while its burst is still running. */
  private static final long HELD_MILLIS = 200;

  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();
  private final AtomicInteger fsyncs = new AtomicInteger();
  private final ForceHookIo countingIo = new ForceHookIo(fsyncs::incrementAndGet);

  /** Opens the log and waits until its writer sleeps, so that only a wake-up can start a write. */
  private SegmentedWal open() throws InterruptedException {
    SegmentedWal wal = countingIo.openArmed(dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!writerAsleep()) {
      assertThat(System.nanoTime()).as("writer asleep within 5 s").isLessThan(deadline);
      Thread.sleep(1);
    }
    return wal;
  }

  private static boolean writerAsleep() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t -> t.getName().equals("rstmdb-wal-writer") && t.getState() == Thread.State.WAITING);
  }

  @Test
  void appendsInsideABurstAreWrittenTogetherWhenItEnds() throws Exception {
    try (SegmentedWal wal = open()) {
      List<WalPort.Append> appends =
          wal.inBurst(
              () -> {
                List<WalPort.Append> made = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                  made.add(wal.append(List.of(entries.entry(i))));
                }
                sleep(HELD_MILLIS);
                assertThat(made).noneMatch(a -> a.durable().isDone());
                return made;
              });
      CompletableFuture.allOf(
              appends.stream().map(WalPort.Append::durable).toArray(CompletableFuture[]::new))
          .get(5, TimeUnit.SECONDS);
      // Every appended record in one batch: one fsync under every_write.
      assertThat(fsyncs.get()).isEqualTo(1);
      assertThat(wal.read(0, 100)).hasSize(10);
    }
  }

  @Test
  void onlyTheOutermostOfNestedBurstsWakesTheWriter() throws Exception {
    try (SegmentedWal wal = open()) {
      WalPort.Append inner =
          wal.inBurst(
              () -> {
                WalPort.Append a = wal.inBurst(() -> wal.append(List.of(entries.entry(0))));
                sleep(HELD_MILLIS);
                assertThat(a.durable()).isNotDone();
                return a;
              });
      inner.durable().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBurstThatThrowsStillWakesTheWriter() throws Exception {
    try (SegmentedWal wal = open()) {
      List<WalPort.Append> made = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  wal.inBurst(
                      () -> {
                        made.add(wal.append(List.of(entries.entry(0))));
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");
      made.get(0).durable().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anotherThreadsAppendIsNotHeldByABurst() throws Exception {
    try (SegmentedWal wal = open()) {
      CountDownLatch appended = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread burster =
          new Thread(
              () ->
                  wal.inBurst(
                      () -> {
                        wal.append(List.of(entries.entry(0)));
                        appended.countDown();
                        await(release);
                        return null;
                      }));
      burster.start();
      try {
        assertThat(appended.await(5, TimeUnit.SECONDS)).isTrue();
        // The burst is still running; an append from outside it is written anyway (and takes the
        // burst's queued record along).
        wal.append(List.of(entries.entry(1))).durable().get(5, TimeUnit.SECONDS);
        assertThat(wal.read(0, 10)).hasSize(2);
      } finally {
        release.countDown();
        burster.join();
      }
    }
  }

  @Test
  void aLongBurstWakesTheWriterOnceEnoughIsQueued() throws Exception {
    try (SegmentedWal wal = open()) {
      List<WalPort.Append> early =
          wal.inBurst(
              () -> {
                List<WalPort.Append> made = new ArrayList<>();
                for (int i = 0; i < GroupCommitWriter.BURST_WAKE_AT; i++) {
                  made.add(wal.append(List.of(entries.entry(i))));
                }
                // Still inside the burst: the first appends become durable anyway.
                try {
                  made.get(0).durable().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new AssertionError("not written before the burst ended", e);
                }
                // The writer takes whatever is queued when it comes round again, woken or not:
                // queue the late append only once it has parked, or the check below races it.
                awaitWriterParked();
                WalPort.Append late = wal.append(List.of(entries.entry(999)));
                sleep(HELD_MILLIS);
                assertThat(late.durable()).as("below the threshold again: held").isNotDone();
                made.add(late);
                return made;
              });
      CompletableFuture.allOf(
              early.stream().map(WalPort.Append::durable).toArray(CompletableFuture[]::new))
          .get(5, TimeUnit.SECONDS);
      assertThat(wal.read(0, 100)).hasSize(GroupCommitWriter.BURST_WAKE_AT + 1);
    }
  }

  private static void awaitWriterParked() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t -> t.getName().equals("rstmdb-wal-writer") && t.getState() != Thread.State.WAITING)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the WAL writer did not park within 5 s");
      }
      sleep(1);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
