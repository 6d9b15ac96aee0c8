package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedWalTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();

  private SegmentedWal open(long segmentSize) {
    return SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(segmentSize));
  }

  private List<String> segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void freshDirectoryGetsOneEmptySegmentNamedByOffsetZero() throws IOException {
    try (SegmentedWal wal = open(1 << 20)) {
      WalStats stats = wal.stats();
      assertThat(stats.entryCount()).isZero();
      assertThat(stats.latestOffset()).isEqualTo(-1);
      assertThat(stats.segmentCount()).isEqualTo(1);
      // The header, then the zero-filled space the writer keeps ahead of its records.
      assertThat(stats.totalSizeBytes()).isEqualTo(1 << 20).isEqualTo(sumOfFileSizes());
      assertThat(wal.nextOffset()).isZero();
      assertThat(wal.oldestOffset()).isZero();
    }
    assertThat(segmentFiles()).containsExactly("00000000000000000000.wal");
  }

  @Test
  void recordsComeBackInOrderWithTheirEntriesAfterReopen() {
    try (SegmentedWal wal = open(1 << 20)) {
      for (int i = 0; i < 10; i++) {
        WalPort.Append a = wal.append(List.of(entries.entry(i)));
        assertThat(a.firstOffset()).isEqualTo(i);
        a.durable().join();
      }
    }
    try (SegmentedWal wal = open(1 << 20)) {
      List<WalRecord> records = wal.read(0, 100);
      assertThat(records)
          .extracting(WalRecord::offset)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(records.get(3).entry()).isEqualTo(entries.entry(3));
      assertThat(wal.nextOffset()).isEqualTo(10);
      assertThat(wal.append(List.of(entries.entry(10))).firstOffset()).isEqualTo(10);
    }
  }

  @Test
  void rotatesAtTheSegmentSizeAndNeverSplitsAnAtomicAppend() throws IOException {
    String pad = "x".repeat(40);
    try (SegmentedWal wal = open(1024)) {
      for (int i = 0; i < 40; i += 4) {
        wal.append(
                List.of(
                    entries.entry(i, pad),
                    entries.entry(i + 1, pad),
                    entries.entry(i + 2, pad),
                    entries.entry(i + 3, pad)))
            .durable()
            .join();
      }
      assertThat(wal.stats().segmentCount()).isGreaterThan(5);
      assertThat(wal.read(0, 1000)).hasSize(40);
    }
    // Every segment starts at a group boundary (a multiple of 4) and is named by it.
    for (String name : segmentFiles()) {
      assertThat(WalFormat.parseSegmentFileName(name) % 4).isZero();
      assertThat(Files.size(dir.resolve(name))).isLessThanOrEqualTo(1024);
    }
    try (SegmentedWal wal = open(1024)) {
      assertThat(wal.read(0, 1000))
          .extracting(TestEntries::numberOf)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 40).boxed().toList());
    }
  }

  @Test
  void oversizedAppendGoesAloneIntoOneSegment() {
    try (SegmentedWal wal = open(256)) {
      wal.append(List.of(entries.entry(0))).durable().join();
      wal.append(entries.group(1, 5)).durable().join();
      wal.append(List.of(entries.entry(6))).durable().join();
      assertThat(wal.read(0, 100))
          .extracting(WalRecord::offset)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(wal.stats().segmentCount()).isEqualTo(3);
    }
  }

  @Test
  void readsFromAnyOffsetUsingTheSparseIndex() {
    String pad = "y".repeat(300);
    try (SegmentedWal wal = open(1 << 20)) {
      for (int i = 0; i < 500; i++) {
        wal.append(List.of(entries.entry(i, pad)));
      }
      wal.append(List.of(entries.entry(500, pad))).durable().join();
      long readsBefore = wal.stats().io().reads();
      List<WalRecord> page = wal.read(450, 10);
      assertThat(page).extracting(WalRecord::offset).startsWith(450L).hasSize(10);
      assertThat(page).extracting(TestEntries::numberOf).startsWith(450L);
      // 450 records of ~400 bytes lie before: the index lets the read start near them, so one
      // chunk read is enough instead of scanning ~180 KB.
      assertThat(wal.stats().io().reads() - readsBefore).isLessThanOrEqualTo(2);
      assertThat(wal.read(495, 100)).hasSize(6);
      assertThat(wal.read(501, 100)).isEmpty();
      assertThat(wal.read(10_000, 100)).isEmpty();
      assertThat(wal.read(0, 0)).isEmpty();
    }
  }

  @Test
  void aReadStopsAtTheRecordThatReachesItsByteBudget() {
    String pad = "z".repeat(1_000); // payloads of 1,000 – 1,200 bytes
    try (SegmentedWal wal = open(1 << 20)) {
      for (int i = 0; i < 20; i++) {
        wal.append(List.of(entries.entry(i, pad)));
      }
      wal.append(List.of(entries.entry(20, pad))).durable().join();
      List<WalRecord> all = wal.read(0, 100);

      assertThat(all).hasSize(21);
      assertThat(wal.read(0, 100, 2_500)).hasSize(3).isEqualTo(all.subList(0, 3));
      assertThat(wal.read(5, 100, 1)).isEqualTo(all.subList(5, 6));
      assertThat(wal.read(0, 2, 1L << 20)).isEqualTo(all.subList(0, 2));
      assertThatThrownBy(() -> wal.read(0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void deleteBeforeRemovesWholeOldSegmentsOnlyAndOffsetsNeverReset() throws IOException {
    String pad = "z".repeat(100);
    try (SegmentedWal wal = open(512)) {
      for (int i = 0; i < 30; i++) {
        wal.append(List.of(entries.entry(i, pad))).durable().join();
      }
      long segmentsBefore = wal.stats().segmentCount();
      long sizeBefore = wal.stats().totalSizeBytes();
      WalPort.Reclaimed nothing = wal.deleteBefore(0);
      assertThat(nothing).isEqualTo(WalPort.Reclaimed.NONE);

      WalPort.Reclaimed r = wal.deleteBefore(12);
      assertThat(r.unitsDeleted()).isPositive();
      assertThat(wal.stats().segmentCount()).isEqualTo(segmentsBefore - r.unitsDeleted());
      assertThat(wal.stats().totalSizeBytes()).isEqualTo(sizeBefore - r.bytesReclaimed());
      assertThat(wal.oldestOffset()).isLessThanOrEqualTo(12).isPositive();
      assertThat(wal.read(0, 100).get(0).offset()).isEqualTo(wal.oldestOffset());
      assertThat(wal.read(12, 1).get(0).offset()).isEqualTo(12);

      // Everything: only the current segment stays, and it carries the next offset.
      wal.deleteBefore(Long.MAX_VALUE);
      assertThat(wal.stats().segmentCount()).isEqualTo(1);
    }
    try (SegmentedWal wal = open(512)) {
      assertThat(wal.nextOffset()).isEqualTo(30);
      assertThat(wal.append(List.of(entries.entry(30))).firstOffset()).isEqualTo(30);
    }
    assertThat(sumOfFileSizes()).isPositive();
  }

  @Test
  void deleteBeforeNeverRemovesTheCurrentSegment() {
    String pad = "z".repeat(100);
    try (SegmentedWal wal = open(256)) {
      for (int i = 0; i < 4; i++) {
        wal.append(List.of(entries.entry(i, pad))).durable().join();
      }
      // Each record fills a segment; the current one (offset 3) stays even though 3 < 4.
      wal.deleteBefore(4);
      assertThat(wal.oldestOffset()).isEqualTo(3);
    }
  }

  @Test
  void statsCountRealOperations() throws IOException {
    try (SegmentedWal wal = open(1 << 20)) {
      WalStats.IoStats before = wal.stats().io();
      wal.append(List.of(entries.entry(1))).durable().join();
      WalStats after = wal.stats();
      assertThat(after.io().writes() - before.writes()).isEqualTo(1);
      assertThat(after.io().fsyncs() - before.fsyncs()).isEqualTo(1);
      // The segment was zero-filled ahead when the log opened: the append wrote just its record.
      assertThat(after.io().bytesWritten() - before.bytesWritten())
          .isEqualTo(encodedSize(entries.entry(1)));
      assertThat(after.totalSizeBytes()).isEqualTo(sumOfFileSizes());
      assertThat(after.entryCount()).isEqualTo(1);
      assertThat(after.latestOffset()).isZero();
      wal.read(0, 10);
      assertThat(wal.stats().io().reads()).isGreaterThan(after.io().reads());
      assertThat(wal.stats().io().bytesRead()).isGreaterThan(after.io().bytesRead());
    }
  }

  @Test
  void entriesLargerThanTheReadChunkRoundTrip() {
    String big = "b".repeat(300_000);
    try (SegmentedWal wal = open(1 << 20)) {
      wal.append(List.of(entries.entry(0), entries.entry(1, big), entries.entry(2)))
          .durable()
          .join();
      assertThat(wal.read(1, 1).get(0).entry()).isEqualTo(entries.entry(1, big));
    }
    try (SegmentedWal wal = open(1 << 20)) {
      assertThat(wal.read(0, 10))
          .extracting(WalRecord::entry)
          .containsExactly(entries.entry(0), entries.entry(1, big), entries.entry(2));
    }
  }

  @Test
  void rejectsBadArguments() {
    try (SegmentedWal wal = open(1 << 20)) {
      assertThatThrownBy(() -> wal.append(List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> wal.read(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> WalOptions.defaults().withSegmentSizeBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment size");
  }

  @Test
  void aWriteTooLargeToStoreIsRefusedAsABadRequestAndTheLogGoesOn() {
    // One entry over the limit, and two that only together are over it.
    String over = "o".repeat(WalFormat.MAX_APPEND);
    String half = "h".repeat(WalFormat.MAX_APPEND / 2 + 1);
    try (SegmentedWal wal = open(1 << 20)) {
      wal.append(List.of(entries.entry(0))).durable().join();
      for (List<WalEntry> refused :
          List.of(
              List.of(entries.entry(1, over)),
              List.of(entries.entry(1, half), entries.entry(2, half)))) {
        assertThatThrownBy(() -> wal.append(refused))
            .isInstanceOfSatisfying(
                RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
            .hasMessageContaining("write too large")
            .hasMessageContaining(String.valueOf(WalFormat.MAX_APPEND));
      }
      // Nothing of either was stored: the next append takes the next offset and is durable.
      WalPort.Append next = wal.append(List.of(entries.entry(1)));
      assertThat(next.firstOffset()).isEqualTo(1);
      next.durable().join();
      // Just under the limit is stored.
      String fits = "f".repeat(WalFormat.MAX_APPEND - (int) encodedSize(entries.entry(2, "")));
      wal.append(List.of(entries.entry(2, fits))).durable().join();
    }
    try (SegmentedWal wal = open(1 << 20)) {
      assertThat(wal.read(0, 10)).extracting(WalRecord::offset).containsExactly(0L, 1L, 2L);
    }
  }

  @Test
  void appendAfterCloseFailsWithWalIoError() {
    SegmentedWal wal = open(1 << 20);
    wal.close();
    var durable = wal.append(List.of(entries.entry(1))).durable();
    assertThatThrownBy(durable::join)
        .hasCauseInstanceOf(io.rstmdb.core.error.RstmdbException.class)
        .hasMessageContaining("closed");
  }

  private static long encodedSize(WalEntry entry) {
    return WalFormat.RECORD_HEADER_SIZE + new WalFormat().payload(entry).length;
  }

  private long sumOfFileSizes() throws IOException {
    long total = 0;
    for (String name : segmentFiles()) {
      total += Files.size(dir.resolve(name));
    }
    return total;
  }
}
