package io.rstmdb.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.entry.DeleteInstanceEntry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TailReaderTest {

  private static WalEntry delete(int i) {
    return EntryCodec.encode(new DeleteInstanceEntry(i, "i-" + i, null));
  }

  private static TailReader open(WalPort wal, long from, int chunkSize, boolean ownThread) {
    return ownThread
        ? TailReader.start(wal, from, chunkSize)
        : TailReader.inline(wal, from, chunkSize);
  }

  /** Drains the reader; the offsets it handed out, in order. */
  private static List<Long> drain(TailReader reader) {
    List<Long> offsets = new ArrayList<>();
    for (var chunk = reader.next(); !chunk.isEmpty(); chunk = reader.next()) {
      chunk.forEach(d -> offsets.add(d.offset()));
    }
    return offsets;
  }

  @ParameterizedTest(name = "own thread: {0}")
  @ValueSource(booleans = {true, false})
  void handsOverEveryRecordFromItsOffsetInOrderAcrossChunks(boolean ownThread) {
    List<WalRecord> log = new ArrayList<>();
    for (int i = 0; i < 2_345; i++) {
      log.add(new WalRecord(i, delete(i)));
    }
    try (TailReader reader = open(new ListWal(log, n -> null), 1_000, 100, ownThread)) {
      List<Long> offsets = drain(reader);
      assertThat(offsets).hasSize(1_345).startsWith(1_000L).endsWith(2_344L).isSorted();
      assertThat(reader.next()).isEmpty();
    }
  }

  @ParameterizedTest(name = "own thread: {0}")
  @ValueSource(booleans = {true, false})
  void recordsThatChangeNoStateAreHandedOverWithoutAnEntry(boolean ownThread) {
    WalEntry checkpoint = new WalEntry("checkpoint", JsonNodeFactory.instance.objectNode());
    List<WalRecord> log = List.of(new WalRecord(0, delete(0)), new WalRecord(1, checkpoint));
    try (TailReader reader = open(new ListWal(log, n -> null), 0, 10, ownThread)) {
      var chunk = reader.next();
      assertThat(chunk).extracting(TailReader.Decoded::offset).containsExactly(0L, 1L);
      assertThat(chunk.get(0).entry()).isEqualTo(new DeleteInstanceEntry(0, "i-0", null));
      assertThat(chunk.get(1).entry()).isNull();
    }
  }

  @ParameterizedTest(name = "own thread: {0}")
  @ValueSource(booleans = {true, false})
  void anUndecodableRecordFailsAfterEveryRecordBeforeIt(boolean ownThread) {
    List<WalRecord> log = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      log.add(new WalRecord(i, delete(i)));
    }
    log.set(17, new WalRecord(17, new WalEntry("no_such_type", delete(0).body())));
    try (TailReader reader = open(new ListWal(log, n -> null), 0, 10, ownThread)) {
      List<Long> seen = new ArrayList<>();
      assertThatThrownBy(
              () -> {
                for (var chunk = reader.next(); !chunk.isEmpty(); chunk = reader.next()) {
                  chunk.forEach(d -> seen.add(d.offset()));
                }
              })
          .isInstanceOf(RstmdbException.class)
          .hasMessageStartingWith("cannot recover: WAL record 17: ")
          .extracting(e -> ((RstmdbException) e).code())
          .isEqualTo(ErrorCode.INTERNAL_ERROR);
      assertThat(seen).hasSize(17).endsWith(16L);
      assertThat(reader.next()).as("nothing after the failure").isEmpty();
    }
  }

  @ParameterizedTest(name = "own thread: {0}")
  @ValueSource(booleans = {true, false})
  void aGapInTheOffsetsFails(boolean ownThread) {
    List<WalRecord> log = List.of(new WalRecord(5, delete(5)), new WalRecord(7, delete(7)));
    try (TailReader reader = open(new ListWal(log, n -> null), 5, 10, ownThread)) {
      assertThat(reader.next()).extracting(TailReader.Decoded::offset).containsExactly(5L);
      assertThatThrownBy(reader::next)
          .hasMessage("cannot recover: expected WAL record 6 but found 7");
    }
  }

  @ParameterizedTest(name = "own thread: {0}")
  @ValueSource(booleans = {true, false})
  void whatTheWalThrowsReachesTheApplierAfterTheRecordsReadBeforeIt(boolean ownThread) {
    List<WalRecord> log = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      log.add(new WalRecord(i, delete(i)));
    }
    RstmdbException damaged = new RstmdbException(ErrorCode.WAL_IO_ERROR, "segment damaged");
    ListWal wal = new ListWal(log, call -> call == 2 ? damaged : null);
    try (TailReader reader = open(wal, 0, 10, ownThread)) {
      assertThat(reader.next()).hasSize(10);
      assertThat(reader.next()).hasSize(10);
      assertThatThrownBy(reader::next).isSameAs(damaged);
    }
  }

  @Test
  void closeStopsAReaderThatIsWaitingForRoom() throws Exception {
    List<WalRecord> log = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      log.add(new WalRecord(i, delete(i)));
    }
    ListWal wal = new ListWal(log, n -> null);
    TailReader reader = TailReader.start(wal, 0, 10);
    // Nobody takes chunks: the reader fills its queue and then waits for room.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (wal.reads.get() < TailReader.CHUNKS_AHEAD + 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    reader.close();
    int readsAtClose = wal.reads.get();
    Thread.sleep(50);
    assertThat(wal.reads.get()).as("no WAL read after close").isEqualTo(readsAtClose);
    assertThat(readsAtClose).isLessThan(100);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("rstmdb-recovery-reader") && t.isAlive());
  }

  /** The log as a list; {@code failures} may name an exception for the n-th read (from 0). */
  private static final class ListWal implements WalPort {
    private final List<WalRecord> records;
    private final IntFunction<RuntimeException> failures;
    final AtomicInteger reads = new AtomicInteger();

    ListWal(List<WalRecord> records, IntFunction<RuntimeException> failures) {
      this.records = records;
      this.failures = failures;
    }

    @Override
    public List<WalRecord> read(long fromOffset, int limit) {
      RuntimeException failure = failures.apply(reads.getAndIncrement());
      if (failure != null) {
        throw failure;
      }
      List<WalRecord> out = new ArrayList<>();
      for (WalRecord r : records) {
        if (r.offset() >= fromOffset && out.size() < limit) {
          out.add(r);
        }
      }
      return out;
    }

    @Override
    public Append append(List<WalEntry> entries) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long oldestOffset() {
      return records.isEmpty() ? 0 : records.get(0).offset();
    }

    @Override
    public long nextOffset() {
      return records.isEmpty() ? 0 : records.get(records.size() - 1).offset() + 1;
    }

    @Override
    public long durableOffset() {
      return nextOffset();
    }

    @Override
    public WalStats stats() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Reclaimed deleteBefore(long offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
