package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.WalPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where append futures complete: on the writer thread, before it takes the next batch, in offset
 * order, however big the batch.
 */
class CompletionThreadTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();

  /** Every fsync after the log opened waits for a permit, so the test decides when batches end. */
  private final Semaphore fsyncs = new Semaphore(0);

  private final CountDownLatch firstFsyncStarted = new CountDownLatch(1);

  private final ForceHookIo gatedIo =
      new ForceHookIo(
          () -> {
            firstFsyncStarted.countDown();
            fsyncs.acquireUninterruptibly();
          });

  private SegmentedWal open() {
    return gatedIo.openArmed(dir);
  }

  private static CompletableFuture<String> completingThread(WalPort.Append append) {
    return append.durable().thenApply(v -> Thread.currentThread().getName());
  }

  @Test
  void aLoneAppendIsCompletedByTheWriterItself() throws Exception {
    try (SegmentedWal wal = open()) {
      CompletableFuture<String> thread = completingThread(wal.append(List.of(entries.entry(0))));
      assertThat(firstFsyncStarted.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(thread).isNotDone();
      fsyncs.release(Integer.MAX_VALUE / 2);
      assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("rstmdb-wal-writer");
    }
  }

  @Test
  void aBigBatchIsCompletedByTheWriterInOffsetOrder() throws Exception {
    try (SegmentedWal wal = open()) {
      CompletableFuture<String> first = completingThread(wal.append(List.of(entries.entry(0))));
      assertThat(firstFsyncStarted.await(5, TimeUnit.SECONDS)).isTrue();
      // While the first batch waits for its fsync, 100 appends queue up: the next batch.
      List<Long> completed = new ArrayList<>();
      List<CompletableFuture<String>> rest = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        WalPort.Append a = wal.append(List.of(entries.entry(i)));
        rest.add(
            a.durable()
                .thenApply(
                    v -> {
                      synchronized (completed) {
                        completed.add(a.firstOffset());
                      }
                      return Thread.currentThread().getName();
                    }));
      }
      fsyncs.release(Integer.MAX_VALUE / 2);
      assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("rstmdb-wal-writer");
      for (CompletableFuture<String> f : rest) {
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("rstmdb-wal-writer");
      }
      assertThat(completed).isSorted().hasSize(100);
    }
  }
}
