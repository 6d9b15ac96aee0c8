package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.WalPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each fsync policy really does, counted through the WAL's own I/O statistics. */
class FsyncBehaviourTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();

  private SegmentedWal open(FsyncPolicy policy) {
    return SegmentedWal.open(dir, WalOptions.defaults().withFsyncPolicy(policy));
  }

  private static long fsyncs(SegmentedWal wal) {
    return wal.stats().io().fsyncs();
  }

  @Test
  void everyWriteSharesOneFsyncAmongConcurrentAppenders() throws Exception {
    int threads = 16;
    int perThread = 50;
    // A disk whose fsync takes 5 ms, so appenders certainly pile up behind each one.
    FaultyFileIo slowDisk = new FaultyFileIo();
    slowDisk.slowForces(5);
    try (SegmentedWal wal =
        SegmentedWal.open(
            dir,
            WalOptions.defaults().withFsyncPolicy(new FsyncPolicy.EveryWrite()).withIo(slowDisk))) {
      long before = fsyncs(wal);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < perThread; i++) {
                    wal.append(List.of(entries.entry(i))).durable().join();
                  }
                });
        w.start();
        workers.add(w);
      }
      go.countDown();
      for (Thread w : workers) {
        w.join();
      }
      long used = fsyncs(wal) - before;
      int appends = threads * perThread;
      assertThat(wal.stats().entryCount()).isEqualTo(appends);
      // Each append waited for an fsync, yet appends waiting together shared one.
      assertThat(used).isPositive().isLessThan(appends / 4);
      assertThat(wal.stats().io().writes()).isLessThan(appends);
    }
  }

  @Test
  void everyWriteAcknowledgesOnlyAfterTheFsync() {
    try (SegmentedWal wal = open(new FsyncPolicy.EveryWrite())) {
      for (int i = 1; i <= 5; i++) {
        long before = fsyncs(wal);
        wal.append(List.of(entries.entry(i))).durable().join();
        assertThat(fsyncs(wal)).isEqualTo(before + 1);
      }
    }
  }

  @Test
  void everyNSyncsAfterNRecords() {
    try (SegmentedWal wal = open(new FsyncPolicy.EveryN(10))) {
      long before = fsyncs(wal);
      for (int i = 0; i < 25; i++) {
        wal.append(List.of(entries.entry(i))).durable().join();
      }
      assertThat(fsyncs(wal) - before).isEqualTo(2);
      assertThat(wal.read(0, 100)).hasSize(25);
    }
  }

  @Test
  void everyMsTimerFlushesWithoutFurtherAppends() throws Exception {
    try (SegmentedWal wal = open(new FsyncPolicy.EveryMs(1000))) {
      long before = fsyncs(wal);
      long start = System.nanoTime();
      wal.append(List.of(entries.entry(1))).durable().join();
      // Acknowledged when written, before the sync...
      assertThat(fsyncs(wal)).isEqualTo(before);
      assertThat(wal.read(0, 10)).hasSize(1);
      // ...and the timer syncs on its own.
      while (fsyncs(wal) == before && System.nanoTime() - start < 10_000_000_000L) {
        Thread.sleep(10);
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(fsyncs(wal)).isEqualTo(before + 1);
      assertThat(elapsedMs).isGreaterThanOrEqualTo(950);
      Thread.sleep(1200);
      assertThat(fsyncs(wal)).as("nothing new to sync").isEqualTo(before + 1);
    }
  }

  @Test
  void neverLeavesSyncingToTheOsUntilClose() {
    SegmentedWal wal = open(new FsyncPolicy.Never());
    long before = fsyncs(wal);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      WalPort.Append a = wal.append(List.of(entries.entry(i)));
      all.add(a.durable());
    }
    all.forEach(CompletableFuture::join);
    assertThat(fsyncs(wal)).isEqualTo(before);
    wal.close();
    try (SegmentedWal reopened = open(new FsyncPolicy.Never())) {
      assertThat(reopened.read(0, 1000)).hasSize(100);
    }
  }

  @Test
  void closeSyncsWhatTheTimerHasNotYet() {
    SegmentedWal wal = open(new FsyncPolicy.EveryMs(60_000));
    wal.append(List.of(entries.entry(1))).durable().join();
    long before = fsyncs(wal);
    wal.close();
    assertThat(wal.stats().io().fsyncs()).isEqualTo(before + 1);
  }
}
