package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.WalRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any history of appends and any cut of the newest segment, recovery keeps exactly the appends
 * that were complete before the cut — whole appends, in order, offsets unchanged.
 */
class TornTailPropertiesTest {
  private final TestEntries entries = new TestEntries();

  @Property(tries = 25)
  void recoveryKeepsExactlyTheCompleteAppendsBeforeACut(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 4) Integer> groupSizes,
      @ForAll @IntRange(min = 0, max = 100_000) int cutSeed)
      throws IOException {
    Path dir = Files.createTempDirectory("torn-prop");
    try {
      List<long[]> groups = new ArrayList<>(); // first offset, size
      try (SegmentedWal wal =
          SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(2048))) {
        long n = 0;
        for (int size : groupSizes) {
          long first = wal.append(entries.group(n, size)).firstOffset();
          groups.add(new long[] {first, size});
          n += size;
        }
        wal.append(List.of(entries.entry(n))).durable().join();
        groups.add(new long[] {n, 1});
      }
      Path newest;
      try (Stream<Path> s = Files.list(dir)) {
        newest = s.max(Comparator.naturalOrder()).orElseThrow();
      }
      long size = Files.size(newest);
      long cut =
          WalFormat.SEGMENT_HEADER_SIZE + cutSeed % (size - WalFormat.SEGMENT_HEADER_SIZE + 1);
      try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
        f.setLength(cut);
      }
      long firstInNewest = WalFormat.parseSegmentFileName(newest.getFileName().toString());
      List<Long> expected = new ArrayList<>();
      List<Long> positions = new ArrayList<>();
      // An append survives if it lies in an older segment, or all its bytes are before the cut.
      try (WalFile file = FileIo.system().open(newest)) {
        // Cut already applied: read what remains cleanly to learn each record's end.
        RecordCursor c = new RecordCursor(file, WalFormat.SEGMENT_HEADER_SIZE, file.size());
        try {
          for (RawRecord r = c.next(); r != null; r = c.next()) {
            positions.add(r.offset());
          }
        } catch (CorruptRecordException expectedAtTheCut) {
          // the torn record
        }
      }
      for (long[] g : groups) {
        boolean older = g[0] + g[1] - 1 < firstInNewest;
        boolean whole = positions.contains(g[0] + g[1] - 1);
        if (older || whole) {
          for (long o = g[0]; o < g[0] + g[1]; o++) {
            expected.add(o);
          }
        } else {
          break;
        }
      }
      try (SegmentedWal wal =
          SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(2048))) {
        List<WalRecord> records = wal.read(0, 1000);
        assertThat(records).extracting(WalRecord::offset).isEqualTo(expected);
        assertThat(records).extracting(TestEntries::numberOf).isEqualTo(expected);
        assertThat(wal.nextOffset()).isEqualTo(expected.size());
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
