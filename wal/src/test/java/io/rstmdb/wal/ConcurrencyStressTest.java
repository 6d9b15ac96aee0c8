package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders, tailing readers, random readers and deleteBefore all at once on tiny segments (so
 * rotation happens constantly): every read is a contiguous run of acknowledged records carrying the
 * entries their offsets were given, and nothing acknowledged at or after the deletion point is ever
 * missing.
 */
class ConcurrencyStressTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();

  @Test
  @Timeout(120)
  void appendersReadersAndDeletionTogether() throws Exception {
    int appenders = 4;
    int perAppender = 250;
    List<Throwable> problems = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (SegmentedWal wal =
        SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(2048))) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < appenders; t++) {
        threads.add(
            new Thread(
                () -> {
                  List<CompletableFuture<Void>> all = new ArrayList<>();
                  for (int i = 0; i < perAppender; i++) {
                    WalPort.Append a = wal.append(entries.group(i, 1 + i % 2));
                    all.add(a.durable());
                  }
                  all.forEach(CompletableFuture::join);
                }));
      }
      Runnable reader =
          () -> {
            try {
              while (!stop.get()) {
                long from = wal.oldestOffset() + (long) (Math.random() * 50);
                List<WalRecord> page = wal.read(from, 200);
                long durable = wal.durableOffset();
                for (int i = 0; i < page.size(); i++) {
                  WalRecord r = page.get(i);
                  if (i > 0 && r.offset() != page.get(i - 1).offset() + 1) {
                    throw new AssertionError("hole before " + r.offset());
                  }
                  if (r.offset() >= durable) {
                    throw new AssertionError("read " + r.offset() + " beyond durable " + durable);
                  }
                }
              }
            } catch (Throwable e) {
              problems.add(e);
            }
          };
      List<Thread> readers = List.of(new Thread(reader), new Thread(reader), new Thread(reader));
      Thread deleter =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    long cut = wal.durableOffset() - 100;
                    if (cut > 0) {
                      wal.deleteBefore(cut);
                      List<WalRecord> kept = wal.read(cut, 1);
                      if (kept.isEmpty() || kept.get(0).offset() != cut) {
                        throw new AssertionError("deleted a record at or after " + cut);
                      }
                    }
                    Thread.sleep(2);
                  }
                } catch (Throwable e) {
                  problems.add(e);
                }
              });
      readers.forEach(Thread::start);
      deleter.start();
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      deleter.join();
      assertThat(problems).isEmpty();
      long total = appenders * (perAppender / 2) * 3L;
      assertThat(wal.nextOffset()).isEqualTo(total);
      assertThat(wal.durableOffset()).isEqualTo(total);
      assertThat(wal.stats().segmentCount()).isLessThan(total / 2);
      List<WalRecord> tail = wal.read(wal.oldestOffset(), 10_000);
      assertThat(tail.get(tail.size() - 1).offset()).isEqualTo(total - 1);
    }
  }
}
