package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Uninterruptibles;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code never}, the thread ending a burst writes its queue itself and completes the futures
 * there; what would need a new segment, more zero-filled space or an fsync stays on the writer.
 */
class InlineBurstWriteTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();
  private final Set<String> completedOn = ConcurrentHashMap.newKeySet();

  /** The thread each append's completion ran on, by its first offset. */
  private final Map<Long, String> completedBy = new ConcurrentHashMap<>();

  /** Opens the log and waits until its writer is parked (see {@link #awaitIdleWriters}). */
  private SegmentedWal open(FsyncPolicy policy, long segmentSize, FileIo io)
      throws InterruptedException {
    SegmentedWal wal =
        SegmentedWal.open(
            dir,
            WalOptions.defaults()
                .withFsyncPolicy(policy)
                .withSegmentSizeBytes(segmentSize)
                .withIo(io));
    awaitIdleWriters();
    return wal;
  }

  /** Appends {@code count} entries in one burst, noting the thread each completion runs on. */
  private List<WalPort.Append> burst(SegmentedWal wal, int count) {
    return wal.inBurst(
        () -> {
          List<WalPort.Append> made = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            WalPort.Append a = wal.append(List.of(entries.entry(i)));
            a.durable()
                .whenComplete(
                    (v, e) -> {
                      completedOn.add(Thread.currentThread().getName());
                      completedBy.put(a.firstOffset(), Thread.currentThread().getName());
                    });
            made.add(a);
          }
          return made;
        });
  }

  private static void awaitAll(List<WalPort.Append> appends) throws Exception {
    CompletableFuture.allOf(
            appends.stream().map(WalPort.Append::durable).toArray(CompletableFuture[]::new))
        .get(5, TimeUnit.SECONDS);
  }

  /**
   * Waits until every WAL writer thread is parked. A writer still on its way to its first wait when
   * a burst begins finds the queue non-empty and rightly writes it itself, which is not what the
   * test means to pin.
   */
  private static void awaitIdleWriters() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      boolean busy =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("rstmdb-wal-writer"))
              .anyMatch(
                  t ->
                      t.getState() != Thread.State.WAITING
                          && t.getState() != Thread.State.TERMINATED);
      if (!busy) {
        return;
      }
      Thread.sleep(1);
    }
    throw new AssertionError("the WAL writer never went idle");
  }

  /**
   * A long burst wakes the writer early; when the burst's own inline write then takes the queue
   * first, the writer's wake-up must not be left standing, or the next appends are never written.
   */
  @Test
  void burstsLongEnoughToWakeTheWriterNeverStrandALaterAppend() throws Exception {
    try (SegmentedWal wal =
        open(new FsyncPolicy.Never(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, FileIo.system())) {
      for (int round = 0; round < 300; round++) {
        List<WalPort.Append> appends = burst(wal, GroupCommitWriter.BURST_WAKE_AT + 4);
        appends.add(wal.append(List.of(entries.entry(round))));
        awaitAll(appends);
      }
      assertThat(wal.nextOffset()).isEqualTo(300L * (GroupCommitWriter.BURST_WAKE_AT + 5));
    }
  }

  @Test
  void underNeverTheBurstsThreadWritesAndCompletesItsAppends() throws Exception {
    String caller = Thread.currentThread().getName();
    try (SegmentedWal wal =
        open(new FsyncPolicy.Never(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, FileIo.system())) {
      // Fewer than would wake the writer early (see the next test for more).
      int count = GroupCommitWriter.BURST_WAKE_AT - 1;
      List<WalPort.Append> appends = burst(wal, count);
      // Written before the burst returned: no waiting for another thread.
      assertThat(appends).allMatch(a -> a.durable().isDone());
      assertThat(completedOn).containsExactly(caller);
      assertThat(wal.read(0, 100)).hasSize(count);
    }
    try (SegmentedWal reopened =
        open(new FsyncPolicy.Never(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, FileIo.system())) {
      assertThat(reopened.read(0, 100))
          .extracting(TestEntries::numberOf)
          .isEqualTo(LongStream.range(0, GroupCommitWriter.BURST_WAKE_AT - 1).boxed().toList());
    }
  }

  @Test
  void aBurstThatNeedsANewSegmentIsLeftToTheWriter() throws Exception {
    String caller = Thread.currentThread().getName();
    // Below the early wake-up, so only the need for a new segment hands the burst over.
    int count = GroupCommitWriter.BURST_WAKE_AT - 1;
    try (SegmentedWal wal = open(new FsyncPolicy.Never(), 1024, FileIo.system())) {
      List<WalPort.Append> appends = burst(wal, count);
      awaitAll(appends);
      assertThat(completedOn).doesNotContain(caller);
      assertThat(wal.read(0, 200)).hasSize(count);
      assertThat(wal.stats().segmentCount()).isGreaterThan(1);
    }
  }

  @Test
  void underEveryWriteTwoAppendsAreLeftToTheWriterToSyncAndComplete() throws Exception {
    String caller = Thread.currentThread().getName();
    try (SegmentedWal wal =
        open(
            new FsyncPolicy.EveryWrite(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, FileIo.system())) {
      List<WalPort.Append> appends = burst(wal, 2);
      awaitAll(appends);
      assertThat(completedOn).doesNotContain(caller);
    }
  }

  @Test
  void underEveryWriteALoneAppendIsSyncedAndCompletedByTheBurstsThread() throws Exception {
    String caller = Thread.currentThread().getName();
    AtomicInteger fsyncs = new AtomicInteger();
    try (SegmentedWal wal =
        open(
            new FsyncPolicy.EveryWrite(),
            WalOptions.DEFAULT_SEGMENT_SIZE_BYTES,
            new ForceHookIo(fsyncs::incrementAndGet).armedNow())) {
      int atOpen = fsyncs.get();
      List<WalPort.Append> appends = burst(wal, 1);
      // Durable before the burst returned: written and fsynced right here.
      assertThat(appends.get(0).durable()).isCompleted();
      assertThat(completedOn).containsExactly(caller);
      assertThat(fsyncs.get() - atOpen).isEqualTo(1);
    }
    try (SegmentedWal reopened =
        open(
            new FsyncPolicy.EveryWrite(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, FileIo.system())) {
      assertThat(reopened.read(0, 10)).extracting(TestEntries::numberOf).containsExactly(0L);
    }
  }

  /**
   * A burst's thread that would wait for a slow fsync (over {@link
   * GroupCommitWriter#INLINE_SYNC_MAX_LAST_FSYNC_NANOS}) leaves it to the writer, and takes the
   * lone appends back once an fsync was quick again.
   */
  @Test
  void underEveryWriteALoneAppendAfterASlowFsyncIsLeftToTheWriter() throws Exception {
    String caller = Thread.currentThread().getName();
    AtomicBoolean slowDisk = new AtomicBoolean(true);
    long slowMillis =
        3 * TimeUnit.NANOSECONDS.toMillis(GroupCommitWriter.INLINE_SYNC_MAX_LAST_FSYNC_NANOS);
    // The test is about who syncs, not about the disk: a real fsync can take over the limit on a
    // busy CI machine (a fresh-clone run did), so these fsyncs only take the time the test says.
    FileIo io =
        new ForwardingFileIo(FileIo.system()) {
          @Override
          protected WalFile wrap(WalFile file) {
            return new ForwardingWalFile(file) {
              @Override
              public void force() {
                if (slowDisk.get()) {
                  Uninterruptibles.sleepUninterruptibly(slowMillis, TimeUnit.MILLISECONDS);
                }
              }
            };
          }
        };
    try (SegmentedWal wal =
        open(new FsyncPolicy.EveryWrite(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, io)) {
      // A completion on this thread has run before the burst returns; the writer's may run a
      // little after the future is done (dependents run one by one), hence the wait for it.
      long first = burst(wal, 1).get(0).firstOffset(); // synced here, slowly
      assertThat(completedBy.get(first)).isEqualTo(caller);

      slowDisk.set(false);
      long second = burst(wal, 1).get(0).firstOffset();
      assertThat(completionThreadOf(second)).isEqualTo("rstmdb-wal-writer");

      awaitIdleWriters();
      long third = burst(wal, 1).get(0).firstOffset();
      // The writer's fsync was quick: back on this thread.
      assertThat(completedBy.get(third)).isEqualTo(caller);
      assertThat(wal.read(0, 10)).hasSize(3);
    }
  }

  private String completionThreadOf(long offset) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!completedBy.containsKey(offset) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    return completedBy.get(offset);
  }

  @Test
  void aFailedInlineWriteStopsTheLogAndFailsItsAppends() throws Exception {
    FaultyFileIo io = new FaultyFileIo();
    SegmentedWal wal = open(new FsyncPolicy.Never(), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES, io);
    try {
      io.failWrite(1);
      List<WalPort.Append> appends = burst(wal, 3);
      for (WalPort.Append a : appends) {
        assertThatThrownBy(() -> a.durable().get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(RstmdbException.class)
            .satisfies(
                e -> assertThat(((RstmdbException) e).code()).isEqualTo(ErrorCode.WAL_IO_ERROR));
      }
      WalPort.Append later = wal.append(List.of(entries.entry(9)));
      assertThat(later.durable()).isCompletedExceptionally();
    } finally {
      // The writer thread ends after the failure: closing must not hang.
      CompletableFuture<Void> closed = CompletableFuture.runAsync(wal::close);
      closed.get(5, TimeUnit.SECONDS);
    }
  }
}
