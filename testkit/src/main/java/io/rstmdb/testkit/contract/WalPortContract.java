package io.rstmdb.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link WalPort} adapter owes the engine, as one suite an adapter's tests
 * extend: dense ordered offsets, atomic multi-entry appends, durability across a reopen (and a
 * crash), reads while writing, storage units and {@code deleteBefore}, concurrent appenders, and
 * fail-stop on storage errors.
 *
 * <p>An adapter implements {@link #create()} and, for each capability it has, the matching hook;
 * the groups needing a hook it does not implement are skipped (aborted with a message saying why),
 * never failed.
 *
 * <pre>{@code
 * class MyWalContractTest extends WalPortContract {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected WalPort create() {
 *     return MyWal.open(dir);
 *   }
 *
 *   @Override
 *   protected WalPort reopen(WalPort wal) {
 *     wal.close();
 *     return MyWal.open(dir);
 *   }
 * }
 * }</pre>
 *
 * <p>Entries used here are {@code apply_event} entries whose bodies are parsed JSON; adapters must
 * return bodies equal to what was appended.
 */
public abstract class WalPortContract {
  private final ObjectMapper mapper = new ObjectMapper();

  private final List<WalPort> opened = new CopyOnWriteArrayList<>();

  /** A new, empty log. Called at most a few times per test. */
  protected abstract WalPort create();

  /**
   * Closes {@code wal} and opens the same storage again, as a clean restart would. Default: not
   * supported (the durability groups are skipped).
   */
  protected WalPort reopen(WalPort wal) {
    return abort(getClass().getSimpleName() + " does not support reopening the same storage");
  }

  /**
   * Stops {@code wal} as a crash would (no orderly close; unacknowledged appends may be lost,
   * partly written bytes may remain) and opens the same storage again. Default: not supported.
   */
  protected WalPort simulateCrash(WalPort wal) {
    return abort(
        getClass().getSimpleName()
            + " cannot simulate a crash: override simulateCrash(WalPort) to run this test");
  }

  /**
   * A new, empty log whose storage units (segments) hold only a few hundred bytes or a few records,
   * so tests cross many of them. Default: the adapter has no storage units.
   */
  protected WalPort createWithSmallUnits() {
    return abort(
        getClass().getSimpleName()
            + " has no storage units to rotate: override createWithSmallUnits() to run this test");
  }

  /** Makes the storage under {@code wal} fail from now on. Default: not supported. */
  protected void breakStorage(WalPort wal) {
    abort(
        getClass().getSimpleName()
            + " cannot inject storage failures: override breakStorage(WalPort) to run this test");
  }

  /** Tracks a log so it is closed after the test. */
  protected final WalPort track(WalPort wal) {
    opened.add(wal);
    return wal;
  }

  private WalPort fresh() {
    return track(create());
  }

  private WalPort freshSmall() {
    return track(createWithSmallUnits());
  }

  private WalPort reopened(WalPort wal) {
    return track(reopen(wal));
  }

  private WalPort crashed(WalPort wal) {
    return track(simulateCrash(wal));
  }

  @AfterEach
  void closeEverything() {
    for (WalPort wal : opened) {
      try {
        wal.close();
      } catch (RuntimeException e) {
        // Already closed or deliberately broken; nothing to release.
      }
    }
  }

  /** An entry that carries {@code n} in its body, so tests can tell entries apart. */
  protected final WalEntry entry(long n) {
    return entry(n, "");
  }

  /** Like {@link #entry(long)}, tagged with a writer name. */
  protected final WalEntry entry(long n, String writer) {
    try {
      ObjectNode body =
          (ObjectNode)
              mapper.readTree(
                  "{\"type\":\"apply_event\",\"instance_id\":\"i-"
                      + n
                      + "\",\"event\":\"GO\",\"from_state\":\"a\",\"to_state\":\"b\","
                      + "\"payload\":{\"writer\":\""
                      + writer
                      + "\",\"amount\":12.5},\"ctx\":{\"n\":"
                      + n
                      + ",\"list\":[1,\"two\",null,true]}}");
      return new WalEntry("apply_event", body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long numberOf(WalRecord r) {
    return r.entry().body().get("ctx").get("n").asLong();
  }

  private List<WalEntry> group(long firstN, int size, String writer) {
    List<WalEntry> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(entry(firstN + i, writer));
    }
    return out;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static void await(CompletableFuture<Void> f) {
    f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private List<Long> appendSingles(WalPort wal, long from, long to) {
    List<Long> offsets = new ArrayList<>();
    CompletableFuture<Void> last = null;
    for (long n = from; n < to; n++) {
      WalPort.Append a = wal.append(List.of(entry(n)));
      offsets.add(a.firstOffset());
      last = a.durable();
    }
    if (last != null) {
      await(last);
    }
    return offsets;
  }

  private static List<WalRecord> readAll(WalPort wal) {
    List<WalRecord> all = new ArrayList<>();
    long from = 0;
    while (true) {
      List<WalRecord> page = wal.read(from, 97);
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      from = page.get(page.size() - 1).offset() + 1;
    }
  }

  private static void assertWalIoError(CompletableFuture<Void> f) {
    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_IO_ERROR));
  }

  @Nested
  @DisplayName("ordering and dense offsets")
  class Ordering {

    @Test
    void anEmptyLogStartsAtOffsetZero() {
      WalPort wal = fresh();
      assertThat(wal.nextOffset()).isZero();
      assertThat(wal.oldestOffset()).isZero();
      assertThat(wal.durableOffset()).isZero();
      assertThat(wal.read(0, 10)).isEmpty();
      WalStats stats = wal.stats();
      assertThat(stats.entryCount()).isZero();
      assertThat(stats.latestOffset()).isEqualTo(-1);
    }

    @Test
    void offsetsAreDenseFromZeroInAppendOrder() {
      WalPort wal = fresh();
      assertThat(appendSingles(wal, 0, 20)).isEqualTo(range(0, 20));
      List<WalRecord> records = wal.read(0, 100);
      assertThat(records).extracting(WalRecord::offset).isEqualTo(range(0, 20));
      assertThat(records).extracting(WalRecord::sequence).isEqualTo(range(1, 21));
      for (WalRecord r : records) {
        assertThat(r.entry()).isEqualTo(entry(r.offset()));
      }
      assertThat(wal.nextOffset()).isEqualTo(20);
      assertThat(wal.durableOffset()).isEqualTo(20);
    }

    @Test
    void readHonoursFromOffsetAndLimit() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 20);
      assertThat(wal.read(5, 3)).extracting(WalRecord::offset).containsExactly(5L, 6L, 7L);
      assertThat(wal.read(19, 10)).extracting(WalRecord::offset).containsExactly(19L);
      assertThat(wal.read(20, 10)).isEmpty();
      assertThat(wal.read(1_000, 10)).isEmpty();
      assertThat(wal.read(3, 0)).isEmpty();
    }

    /**
     * A byte budget may end a read early, never before its first record, and never out of order.
     */
    @Test
    void aBudgetedReadIsANonEmptyPrefixOfTheUnbudgetedOne() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 20);
      List<WalRecord> all = wal.read(3, 10);
      for (long budget : new long[] {1, 64, 1_000, Long.MAX_VALUE}) {
        List<WalRecord> page = wal.read(3, 10, budget);
        assertThat(page).as("budget %d", budget).isNotEmpty();
        assertThat(all).as("budget %d", budget).startsWith(page.toArray(WalRecord[]::new));
      }
      assertThat(wal.read(3, 10, Long.MAX_VALUE)).isEqualTo(all);
      assertThat(wal.read(20, 10, 1)).isEmpty();
    }

    @Test
    void statsCountTheReadableRecords() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 7);
      WalStats stats = wal.stats();
      assertThat(stats.entryCount()).isEqualTo(7);
      assertThat(stats.latestOffset()).isEqualTo(6);
      assertThat(stats.segmentCount()).isPositive();
      assertThat(stats.totalSizeBytes()).isPositive();
    }

    @Test
    void anEmptyAppendIsRejected() {
      WalPort wal = fresh();
      assertThatThrownBy(() -> wal.append(List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThat(wal.nextOffset()).isZero();
    }

    @Test
    void aNegativeLimitIsRejected() {
      WalPort wal = fresh();
      assertThatThrownBy(() -> wal.read(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("atomic multi-entry appends")
  class AtomicGroups {

    @Test
    void aGroupGetsConsecutiveOffsets() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 3);
      WalPort.Append a = wal.append(group(100, 5, "g"));
      await(a.durable());
      assertThat(a.firstOffset()).isEqualTo(3);
      assertThat(wal.nextOffset()).isEqualTo(8);
      assertThat(wal.read(3, 10))
          .extracting(WalPortContract::numberOf)
          .containsExactly(100L, 101L, 102L, 103L, 104L);
    }

    @Test
    @Timeout(60)
    void concurrentGroupsNeverInterleave() throws Exception {
      WalPort wal = fresh();
      Map<Long, String> groupsByFirstOffset = new ConcurrentHashMap<>();
      runConcurrently(
          4,
          t -> {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
              String writer = "w" + t + "-" + i;
              WalPort.Append a = wal.append(group(i * 10L, 3, writer));
              groupsByFirstOffset.put(a.firstOffset(), writer);
              all.add(a.durable());
            }
            all.forEach(WalPortContract::await);
          });
      List<WalRecord> all = readAll(wal);
      assertThat(all).hasSize(4 * 30 * 3);
      assertThat(groupsByFirstOffset).hasSize(120);
      groupsByFirstOffset.forEach(
          (first, writer) -> {
            for (int k = 0; k < 3; k++) {
              WalRecord r = all.get((int) (first + k));
              assertThat(r.offset()).isEqualTo(first + k);
              assertThat(r.entry().body().get("payload").get("writer").asText())
                  .as("record %d belongs to the group starting at %d", first + k, first)
                  .isEqualTo(writer);
            }
          });
    }

    @Test
    @Timeout(60)
    void aCrashKeepsWholeGroupsOrNothing() {
      WalPort wal = fresh();
      List<WalPort.Append> appends = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        appends.add(wal.append(group(i * 100L, 3, "g" + i)));
      }
      await(appends.get(9).durable());
      List<Long> acknowledged =
          appends.stream()
              .filter(a -> a.durable().isDone() && !a.durable().isCompletedExceptionally())
              .map(WalPort.Append::firstOffset)
              .toList();
      WalPort after = crashed(wal);
      List<WalRecord> records = readAll(after);
      assertThat(records.size() % 3).as("only whole groups survive").isZero();
      assertThat(records).extracting(WalRecord::offset).isEqualTo(range(0, records.size()));
      for (long first : acknowledged) {
        assertThat(first + 2)
            .as("acknowledged group at %d survives", first)
            .isLessThan(records.size());
      }
      for (int i = 0; i < records.size(); i++) {
        assertThat(numberOf(records.get(i))).isEqualTo((i / 3) * 100L + i % 3);
      }
      assertThat(after.nextOffset()).isEqualTo(records.size());
      assertThat(after.append(List.of(entry(1))).firstOffset()).isEqualTo(records.size());
    }
  }

  @Nested
  @DisplayName("durability across reopen")
  class Durability {

    @Test
    void everythingAcknowledgedSurvivesAReopen() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 10);
      await(wal.append(group(10, 4, "g")).durable());
      appendSingles(wal, 14, 30);
      List<WalRecord> before = wal.read(0, 100);
      WalPort again = reopened(wal);
      assertThat(again.read(0, 100)).isEqualTo(before);
      assertThat(again.nextOffset()).isEqualTo(30);
      assertThat(again.durableOffset()).isEqualTo(30);
      assertThat(again.stats().entryCount()).isEqualTo(30);
      WalPort.Append next = again.append(List.of(entry(30)));
      assertThat(next.firstOffset()).isEqualTo(30);
      await(next.durable());
    }

    @Test
    void anEmptyLogReopensEmpty() {
      WalPort again = reopened(fresh());
      assertThat(again.nextOffset()).isZero();
      assertThat(again.read(0, 10)).isEmpty();
    }

    @Test
    void closeMakesEveryPendingAppendDurable() {
      WalPort wal = fresh();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        futures.add(wal.append(List.of(entry(i))).durable());
      }
      WalPort again = reopened(wal);
      futures.forEach(WalPortContract::await);
      assertThat(again.read(0, 100)).extracting(WalRecord::offset).isEqualTo(range(0, 50));
    }

    @Test
    @Timeout(60)
    void acknowledgedAppendsSurviveACrash() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 25);
      for (int i = 25; i < 60; i++) {
        wal.append(List.of(entry(i)));
      }
      WalPort after = crashed(wal);
      List<WalRecord> records = readAll(after);
      assertThat(records.size()).isGreaterThanOrEqualTo(25);
      assertThat(records).extracting(WalRecord::offset).isEqualTo(range(0, records.size()));
      assertThat(records).extracting(WalPortContract::numberOf).isEqualTo(range(0, records.size()));
    }
  }

  @Nested
  @DisplayName("reads during writes")
  class ReadsDuringWrites {

    @Test
    void aCompletedAppendIsReadableAtOnce() {
      WalPort wal = fresh();
      for (int i = 0; i < 50; i++) {
        WalPort.Append a = wal.append(List.of(entry(i)));
        await(a.durable());
        assertThat(wal.durableOffset()).isGreaterThan(a.firstOffset());
        assertThat(wal.read(a.firstOffset(), 1))
            .extracting(WalRecord::offset)
            .containsExactly(a.firstOffset());
      }
    }

    @Test
    @Timeout(60)
    void aTailingReaderSeesEveryRecordOnceInOrderAndOnlyDurableOnes() throws Exception {
      WalPort wal = fresh();
      int total = 600;
      AtomicBoolean readerFailed = new AtomicBoolean();
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      Thread reader =
          new Thread(
              () -> {
                long next = 0;
                while (next < total) {
                  List<WalRecord> page = wal.read(next, 50);
                  long durable = wal.durableOffset();
                  for (WalRecord r : page) {
                    if (r.offset() != next || r.offset() >= durable || numberOf(r) != next) {
                      readerFailed.set(true);
                      return;
                    }
                    seen.add(r.offset());
                    next++;
                  }
                  Thread.onSpinWait();
                }
              });
      reader.start();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < total; ) {
        int size = i % 7 == 0 ? 3 : 1;
        size = Math.min(size, total - i);
        List<WalEntry> entries = new ArrayList<>();
        for (int k = 0; k < size; k++) {
          entries.add(entry(i + k));
        }
        futures.add(wal.append(entries).durable());
        i += size;
      }
      futures.forEach(WalPortContract::await);
      reader.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(readerFailed).isFalse();
      assertThat(seen).isEqualTo(range(0, total));
    }
  }

  @Nested
  @DisplayName("storage units (rotation)")
  class Rotation {

    @Test
    void appendsSpreadOverManyUnitsReadBackWhole() {
      WalPort wal = freshSmall();
      appendSingles(wal, 0, 100);
      await(wal.append(group(100, 5, "g")).durable());
      assertThat(wal.stats().segmentCount()).isGreaterThan(1);
      List<WalRecord> all = readAll(wal);
      assertThat(all).extracting(WalRecord::offset).isEqualTo(range(0, 105));
      assertThat(all).extracting(WalPortContract::numberOf).isEqualTo(range(0, 105));
      assertThat(wal.read(57, 3)).extracting(WalRecord::offset).containsExactly(57L, 58L, 59L);
    }
  }

  @Nested
  @DisplayName("deleteBefore")
  class DeleteBefore {

    @Test
    void deletingBeforeZeroRemovesNothing() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 10);
      assertThat(wal.deleteBefore(0)).isEqualTo(WalPort.Reclaimed.NONE);
      assertThat(wal.read(0, 100)).hasSize(10);
    }

    @Test
    void recordsAtOrAfterTheOffsetAreKept() {
      WalPort wal = freshSmall();
      appendSingles(wal, 0, 200);
      long unitsBefore = wal.stats().segmentCount();
      long bytesBefore = wal.stats().totalSizeBytes();
      WalPort.Reclaimed r = wal.deleteBefore(120);
      assertThat(r.unitsDeleted()).isPositive();
      assertThat(r.bytesReclaimed()).isPositive();
      WalStats stats = wal.stats();
      assertThat(stats.segmentCount()).isEqualTo(unitsBefore - r.unitsDeleted());
      assertThat(stats.totalSizeBytes()).isEqualTo(bytesBefore - r.bytesReclaimed());
      long oldest = wal.oldestOffset();
      assertThat(oldest).isPositive().isLessThanOrEqualTo(120);
      assertThat(stats.entryCount()).isEqualTo(200 - oldest);
      assertThat(wal.read(0, 1)).extracting(WalRecord::offset).containsExactly(oldest);
      assertThat(readAll(wal)).extracting(WalRecord::offset).isEqualTo(range(oldest, 200));
      assertThat(wal.nextOffset()).isEqualTo(200);
      assertThat(wal.append(List.of(entry(200))).firstOffset()).isEqualTo(200);
    }

    @Test
    void offsetsNeverResetEvenWhenEverythingIsDeleted() {
      WalPort wal = freshSmall();
      appendSingles(wal, 0, 50);
      wal.deleteBefore(Long.MAX_VALUE);
      assertThat(wal.nextOffset()).isEqualTo(50);
      assertThat(wal.oldestOffset()).isLessThanOrEqualTo(50);
      WalPort.Append a = wal.append(List.of(entry(50)));
      assertThat(a.firstOffset()).isEqualTo(50);
      await(a.durable());
      assertThat(readAll(wal)).last().extracting(WalRecord::offset).isEqualTo(50L);
    }

    @Test
    void offsetsContinueAfterDeletingAndReopening() {
      WalPort wal = freshSmall();
      appendSingles(wal, 0, 50);
      wal.deleteBefore(Long.MAX_VALUE);
      WalPort again = reopened(wal);
      assertThat(again.nextOffset()).isEqualTo(50);
      assertThat(again.append(List.of(entry(50))).firstOffset()).isEqualTo(50);
    }

    @Test
    @Timeout(60)
    void readersKeepWorkingWhileUnitsAreDeleted() throws Exception {
      WalPort wal = freshSmall();
      appendSingles(wal, 0, 300);
      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> problems = new CopyOnWriteArrayList<>();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread reader =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      List<WalRecord> page = wal.read(0, 1000);
                      for (int i = 1; i < page.size(); i++) {
                        if (page.get(i).offset() != page.get(i - 1).offset() + 1) {
                          throw new AssertionError("gap in " + page.get(i).offset());
                        }
                      }
                      if (!page.isEmpty() && page.get(page.size() - 1).offset() != 299) {
                        throw new AssertionError("lost the tail: " + page.get(page.size() - 1));
                      }
                    }
                  } catch (Throwable e) {
                    problems.add(e);
                  }
                });
        reader.start();
        readers.add(reader);
      }
      for (long cut = 0; cut <= 300; cut += 10) {
        wal.deleteBefore(cut);
        Thread.sleep(1);
      }
      stop.set(true);
      for (Thread r : readers) {
        r.join();
      }
      assertThat(problems).isEmpty();
    }
  }

  @Nested
  @DisplayName("concurrent appenders")
  class ConcurrentAppenders {

    @Test
    @Timeout(60)
    void everyAppendGetsAUniqueOffsetAndNoneIsLost() throws Exception {
      WalPort wal = fresh();
      int threads = 8;
      int perThread = 100;
      Map<Long, Long> numberByOffset = new ConcurrentHashMap<>();
      runConcurrently(
          threads,
          t -> {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              long n = t * 1000L + i;
              WalPort.Append a = wal.append(List.of(entry(n)));
              assertThat(numberByOffset.put(a.firstOffset(), n)).isNull();
              all.add(a.durable());
            }
            all.forEach(WalPortContract::await);
          });
      int total = threads * perThread;
      assertThat(numberByOffset.keySet()).containsExactlyInAnyOrderElementsOf(range(0, total));
      assertThat(wal.durableOffset()).isEqualTo(total);
      List<WalRecord> all = readAll(wal);
      assertThat(all).hasSize(total);
      for (WalRecord r : all) {
        assertThat(numberOf(r)).isEqualTo(numberByOffset.get(r.offset()));
      }
    }
  }

  @Nested
  @DisplayName("fail-stop on storage failure")
  class FailStop {

    @Test
    void afterAStorageFailureEveryAppendFailsAndAcknowledgedDataStays() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 5);
      breakStorage(wal);
      assertWalIoError(wal.append(List.of(entry(5))).durable());
      assertWalIoError(wal.append(List.of(entry(6))).durable());
      assertThat(wal.durableOffset()).isEqualTo(5);
      assertThat(wal.read(0, 100)).extracting(WalRecord::offset).isEqualTo(range(0, 5));
    }
  }

  @Nested
  @DisplayName("cutAt")
  class CutAt {

    @Test
    void aCutChangesNoOffsetAndNoRecordAndCompletesNormally() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 10);
      await(wal.cutAt(wal.nextOffset()));
      assertThat(wal.nextOffset()).isEqualTo(10);
      appendSingles(wal, 10, 20);
      // Offsets other than the next one are never an error either.
      await(wal.cutAt(3));
      await(wal.cutAt(99));
      assertThat(readAll(wal)).extracting(WalPortContract::numberOf).isEqualTo(range(0, 20));
      WalPort again = reopened(wal);
      assertThat(readAll(again)).extracting(WalRecord::offset).isEqualTo(range(0, 20));
      assertThat(again.nextOffset()).isEqualTo(20);
    }

    @Test
    void deletingBeforeACutKeepsEverythingFromIt() {
      WalPort wal = freshSmall();
      appendSingles(wal, 0, 30);
      await(wal.cutAt(30));
      appendSingles(wal, 30, 40);
      wal.deleteBefore(30);
      long oldest = wal.oldestOffset();
      assertThat(oldest).isLessThanOrEqualTo(30);
      assertThat(readAll(wal)).extracting(WalRecord::offset).isEqualTo(range(oldest, 40));
    }
  }

  @Nested
  @DisplayName("close")
  class Close {

    @Test
    void anAppendAfterCloseFailsWithWalIoError() {
      WalPort wal = fresh();
      appendSingles(wal, 0, 2);
      wal.close();
      CompletableFuture<Void> f;
      try {
        f = wal.append(List.of(entry(2))).durable();
      } catch (RstmdbException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.WAL_IO_ERROR);
        return;
      }
      assertWalIoError(f);
    }

    @Test
    void closingTwiceIsHarmless() {
      WalPort wal = fresh();
      wal.close();
      wal.close();
    }
  }

  /** Runs {@code body(threadIndex)} on {@code threads} threads started together. */
  private static void runConcurrently(int threads, ThreadBody body) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> problems = new CopyOnWriteArrayList<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  body.run(index);
                } catch (Throwable e) {
                  problems.add(e);
                }
              });
      thread.start();
      all.add(thread);
    }
    go.countDown();
    for (Thread t : all) {
      t.join();
    }
    assertThat(problems).isEmpty();
  }

  @FunctionalInterface
  private interface ThreadBody {
    void run(int threadIndex) throws Exception;
  }
}
