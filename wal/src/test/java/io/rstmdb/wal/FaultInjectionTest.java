package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write, fsync and disk-full failures stop the log, and nothing acknowledged is ever lost. */
class FaultInjectionTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();
  private final FaultyFileIo io = new FaultyFileIo();

  private SegmentedWal openFaulty(long segmentSize) {
    return SegmentedWal.open(
        dir, WalOptions.defaults().withSegmentSizeBytes(segmentSize).withIo(io));
  }

  /**
   * Appends from several threads while {@code fault} is armed, then checks fail-stop and that a
   * reopened log holds every acknowledged append with its exact entries.
   */
  private void runAndVerify(long segmentSize, Consumer<FaultyFileIo> fault) throws Exception {
    Map<Long, Integer> acknowledged = new ConcurrentHashMap<>(); // first offset -> group size
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    try (SegmentedWal wal = openFaulty(segmentSize)) {
      for (int i = 0; i < 5; i++) {
        WalPort.Append a = wal.append(List.of(entries.entry(i)));
        a.durable().join();
        acknowledged.put(a.firstOffset(), 1);
      }
      fault.accept(io);
      int threads = 4;
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int size = t % 2 + 1;
        Thread worker =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  // Waiting for each append keeps batches small, so the log makes many writes
                  // and fsyncs and the armed fault is sure to fire.
                  for (int i = 0; i < 60; i++) {
                    WalPort.Append a = wal.append(entries.group(1000 + i, size));
                    a.durable()
                        .handle(
                            (ok, err) -> {
                              if (err == null) {
                                acknowledged.put(a.firstOffset(), size);
                              } else {
                                failures.add(err);
                              }
                              return null;
                            })
                        .join();
                  }
                });
        workers.add(worker);
        worker.start();
      }
      go.countDown();
      for (Thread w : workers) {
        w.join();
      }
      assertThat(failures).isNotEmpty();
      assertThat(failures)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          RstmdbException.class,
                          r -> assertThat(r.code()).isEqualTo(ErrorCode.WAL_IO_ERROR)));
      // Fail-stop: later appends fail at once, readers still see only acknowledged records.
      WalPort.Append late = wal.append(List.of(entries.entry(9999)));
      assertThatThrownBy(() -> late.durable().join())
          .hasCauseInstanceOf(RstmdbException.class)
          .hasMessageContaining("stopped");
      long maxAcked =
          acknowledged.entrySet().stream()
              .mapToLong(e -> e.getKey() + e.getValue())
              .max()
              .orElseThrow();
      assertThat(wal.durableOffset()).isLessThanOrEqualTo(maxAcked);
      assertThat(wal.read(0, 10_000)).hasSize((int) wal.durableOffset());
    }
    try (SegmentedWal wal =
        SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(segmentSize))) {
      Map<Long, WalRecord> byOffset =
          wal.read(0, 100_000).stream().collect(Collectors.toMap(WalRecord::offset, r -> r));
      for (Map.Entry<Long, Integer> ack : acknowledged.entrySet()) {
        for (int k = 0; k < ack.getValue(); k++) {
          assertThat(byOffset)
              .as("acknowledged offset %d", ack.getKey() + k)
              .containsKey(ack.getKey() + k);
        }
      }
      // Whatever survived is dense from 0 and ends on a whole append.
      assertThat(byOffset.keySet()).allMatch(o -> o < byOffset.size());
      WalPort.Append next = wal.append(List.of(entries.entry(1)));
      assertThat(next.firstOffset()).isEqualTo(byOffset.size());
      next.durable().join();
    }
  }

  @Test
  void failedFsyncStopsTheLog() throws Exception {
    runAndVerify(1 << 20, faulty -> faulty.failForce(3));
  }

  @Test
  void failedWriteStopsTheLog() throws Exception {
    runAndVerify(1 << 20, faulty -> faulty.failWrite(4));
  }

  @Test
  void diskFullMidWriteStopsTheLogAndTheTornTailIsRepaired() throws Exception {
    runAndVerify(1 << 20, faulty -> faulty.diskFullAfter(5_000));
  }

  @Test
  void failedFsyncWhileSealingARotatedSegmentStopsTheLog() throws Exception {
    // Small segments rotate often, and every rotation seals the old segment with an fsync.
    runAndVerify(600, faulty -> faulty.failForce(6));
  }

  @Test
  void statsCountTheZerosAFullDiskLetThrough() throws Exception {
    try (SegmentedWal wal = openFaulty(8 << 20)) {
      // The open zero-filled 1 MiB ahead; records use most of it, then the next MiB of zeros
      // stops part way.
      io.diskFullAfter((1 << 20) + 300_000);
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 100_000; i++) {
                  wal.append(entries.group(i * 100L, 100)).durable().join();
                }
              })
          .hasMessageContaining("No space left on device");
      long onDisk;
      try (Stream<Path> files = Files.list(dir)) {
        onDisk =
            files
                .filter(p -> p.toString().endsWith(".wal"))
                .mapToLong(
                    p -> {
                      try {
                        return Files.size(p);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    })
                .sum();
      }
      assertThat(wal.stats().totalSizeBytes()).isEqualTo(onDisk);
    }
  }

  @Test
  void firstFailureIsTheOneReported() {
    try (SegmentedWal wal = openFaulty(1 << 20)) {
      io.failForce(1);
      CompletableFuture<Void> first = wal.append(List.of(entries.entry(1))).durable();
      assertThatThrownBy(first::join).hasMessageContaining("injected fsync failure");
      assertThat(wal.durableOffset()).isZero();
      assertThat(wal.read(0, 10)).isEmpty();
      assertThat(wal.stats().entryCount()).isZero();
    }
  }
}
