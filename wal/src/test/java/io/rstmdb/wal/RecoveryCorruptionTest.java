package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corruption matrix: damage at the tail of the last segment is a torn write and is repaired;
 * damage anywhere else refuses to open with an error naming the file and byte position.
 */
class RecoveryCorruptionTest {
  private static final long SEGMENT_SIZE = 1024;
  private static final int RECORDS = 30; // offsets 0..29; the last append is one record

  @TempDir Path root;
  private Path pristine;
  private final TestEntries entries = new TestEntries();

  @BeforeEach
  void writeLog() {
    pristine = root.resolve("pristine");
    try (SegmentedWal wal = open(pristine)) {
      for (int i = 0; i < RECORDS; i++) {
        wal.append(List.of(entries.entry(i))).durable().join();
      }
      assertThat(wal.stats().segmentCount()).isGreaterThanOrEqualTo(4);
    }
  }

  private static SegmentedWal open(Path dir) {
    return SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(SEGMENT_SIZE));
  }

  private Path copy(String name) throws IOException {
    Path target = root.resolve(name);
    Files.createDirectories(target);
    for (Path p : segments(pristine)) {
      Files.copy(p, target.resolve(p.getFileName()));
    }
    return target;
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
    }
  }

  /** Byte positions of the records in a segment file. */
  private static List<Long> recordPositions(Path segment) throws Exception {
    return scan(segment).subList(0, scan(segment).size() - 1);
  }

  /**
   * The records end at {@code end} and only zeros follow (the repaired tail was cut off, and the
   * reopened log zero-filled space again): nothing of the damage is left to be misread later.
   */
  private static void assertEndsCleanlyAt(Path segment, long end) throws Exception {
    assertThat(recordsEnd(segment)).as("end of the records").isEqualTo(end);
    byte[] bytes = Files.readAllBytes(segment);
    for (int i = (int) end; i < bytes.length; i++) {
      assertThat(bytes[i]).as("byte %d after the records", i).isZero();
    }
  }

  /** Where the records end: the zero-filled tail (if any) starts here. */
  private static long recordsEnd(Path segment) throws Exception {
    List<Long> scanned = scan(segment);
    return scanned.get(scanned.size() - 1);
  }

  /** Record positions, then the end of the last record; stops at the zero-filled tail. */
  private static List<Long> scan(Path segment) throws Exception {
    List<Long> positions = new ArrayList<>();
    long end = WalFormat.SEGMENT_HEADER_SIZE;
    try (WalFile file = FileIo.system().open(segment)) {
      RecordCursor cursor = new RecordCursor(file, WalFormat.SEGMENT_HEADER_SIZE, file.size());
      try {
        for (RawRecord r = cursor.next(); r != null; r = cursor.next()) {
          positions.add(r.position());
          end = r.end();
        }
      } catch (CorruptRecordException zeroTail) {
        // the pristine log's preallocated space
      }
    }
    positions.add(end);
    return positions;
  }

  private static List<Long> readAll(Path dir) {
    try (SegmentedWal wal = open(dir)) {
      return wal.read(0, 10_000).stream().map(WalRecord::offset).toList();
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void flipBit(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x10);
    }
  }

  private static void assertRefuses(Path dir, Path file, String problem) {
    assertThatThrownBy(() -> open(dir).close())
        .isInstanceOfSatisfying(
            RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_IO_ERROR))
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageContaining("at byte")
        .hasMessageContaining(problem);
  }

  @Nested
  @DisplayName("torn tail of the last segment is truncated")
  class TornTail {

    @Test
    void truncatedAtEveryByteOfTheLastRecord() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      List<Long> positions = recordPositions(last);
      long lastStart = positions.get(positions.size() - 1);
      long end = recordsEnd(last);
      for (long cut = lastStart; cut < end; cut++) {
        Path dir = copy("cut-" + cut);
        Path segment = dir.resolve(last.getFileName());
        truncate(segment, cut);
        assertThat(readAll(dir)).as("cut at %d", cut).isEqualTo(range(0, RECORDS - 1));
        assertEndsCleanlyAt(segment, lastStart);
        try (SegmentedWal wal = open(dir)) {
          assertThat(wal.nextOffset()).isEqualTo(RECORDS - 1);
        }
      }
    }

    @Test
    void anAtomicAppendCutShortIsDroppedWhole() throws Exception {
      try (SegmentedWal wal = open(pristine)) {
        wal.append(entries.group(RECORDS, 3)).durable().join();
      }
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      List<Long> positions = recordPositions(last);
      int n = positions.size();
      long groupStart = positions.get(n - 3);
      // A clean cut after the second of three records, and a cut inside the third.
      for (long cut : new long[] {positions.get(n - 1), positions.get(n - 1) + 7}) {
        Path dir = copy("group-" + cut);
        truncate(dir.resolve(last.getFileName()), cut);
        assertThat(readAll(dir)).isEqualTo(range(0, RECORDS));
        assertEndsCleanlyAt(dir.resolve(last.getFileName()), groupStart);
      }
    }

    @Test
    void theLastSegmentEndsInPreallocatedZeros() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      assertThat(Files.size(last)).isGreaterThan(recordsEnd(last));
      assertThat(Files.readAllBytes(last))
          .satisfies(
              bytes -> {
                for (int i = (int) recordsEnd(last); i < bytes.length; i++) {
                  assertThat(bytes[i]).as("byte %d", i).isZero();
                }
              });
    }

    @Test
    void zerosAfterTheLastRecordAreACleanEndAndKept() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      for (int n : new int[] {1, 19, 20, 21, 4096}) {
        Path dir = copy("zeros-" + n);
        Path segment = dir.resolve(last.getFileName());
        Files.write(segment, new byte[n], StandardOpenOption.APPEND);
        long size = Files.size(segment);
        assertThat(readAll(dir)).isEqualTo(range(0, RECORDS));
        assertThat(Files.size(segment)).as("zero tail kept").isEqualTo(size);
        try (SegmentedWal wal = open(dir)) {
          wal.append(List.of(entries.entry(RECORDS))).durable().join();
        }
        assertThat(readAll(dir)).isEqualTo(range(0, RECORDS + 1));
      }
    }

    @Test
    void garbageAfterTheLastRecordIsRemoved() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      long end = recordsEnd(last);
      Random random = new Random(42);
      int i = 0;
      for (int n : new int[] {1, 19, 20, 21, 300}) {
        byte[] garbage = new byte[n];
        random.nextBytes(garbage);
        garbage[0] |= 1; // never a zero first byte
        for (boolean inZeroTail : new boolean[] {true, false}) {
          Path dir = copy("garbage-" + i++);
          Path segment = dir.resolve(last.getFileName());
          if (inZeroTail) {
            // A torn write into the preallocated space, right after the last record.
            try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
              f.seek(end);
              f.write(garbage);
            }
          } else {
            Files.write(segment, garbage, StandardOpenOption.APPEND);
          }
          assertThat(readAll(dir)).isEqualTo(range(0, RECORDS));
          assertEndsCleanlyAt(segment, end);
          try (SegmentedWal wal = open(dir)) {
            wal.append(List.of(entries.entry(RECORDS))).durable().join();
          }
          assertThat(readAll(dir)).isEqualTo(range(0, RECORDS + 1));
        }
      }
    }

    @Test
    void leftoverTempSegmentIsDeleted() throws Exception {
      Path dir = copy("tmp");
      Path temp = dir.resolve("00000000000000000099.wal.tmp");
      Files.write(temp, new byte[] {1, 2, 3});
      assertThat(readAll(dir)).isEqualTo(range(0, RECORDS));
      assertThat(temp).doesNotExist();
    }
  }

  @Nested
  @DisplayName("damage anywhere else refuses to open")
  class Refusals {

    @Test
    void bitFlipInAMiddleSegment() throws Exception {
      Path middle = segments(pristine).get(1);
      List<Long> positions = recordPositions(middle);
      long record = positions.get(positions.size() / 2);
      for (long delta : new long[] {0, 5, 9, 16, 30}) {
        Path dir = copy("flip-" + delta);
        flipBit(dir.resolve(middle.getFileName()), record + delta);
        assertRefuses(dir, middle, "byte " + record);
      }
    }

    @Test
    void bitFlipInTheLastSegmentFollowedByValidRecords() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      List<Long> positions = recordPositions(last);
      assertThat(positions).hasSizeGreaterThan(1);
      Path dir = copy("flip-last");
      flipBit(dir.resolve(last.getFileName()), positions.get(0) + 30);
      assertRefuses(dir, last, "valid records follow");
    }

    @Test
    void damagedLengthInTheLastSegmentFollowedByValidRecords() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      List<Long> positions = recordPositions(last);
      Path dir = copy("length-last");
      flipBit(dir.resolve(last.getFileName()), positions.get(0) + 3);
      assertRefuses(dir, last, "valid records follow");
    }

    @Test
    void badSegmentHeader() throws Exception {
      Path first = segments(pristine).get(0);
      for (long at : new long[] {0, 5, 9, 22}) {
        Path dir = copy("header-" + at);
        flipBit(dir.resolve(first.getFileName()), at);
        assertRefuses(dir, first, "byte 0");
      }
    }

    @Test
    void aStrayFileAfterTheNewestSegmentIsNamedAsTheLikelyCause() throws Exception {
      Path last = segments(pristine).get(segments(pristine).size() - 1);
      Path dir = copy("stray");
      Files.createFile(dir.resolve(WalFormat.segmentFileName(1_000_000)));
      // The newest segment ends in zero-filled space (theLastSegmentEndsInPreallocatedZeros): not
      // "record CRC mismatch", which sent an operator to truncate a healthy file.
      assertRefuses(dir, last, "a stray or misnamed file");
    }

    @Test
    void missingMiddleSegment() throws Exception {
      Path middle = segments(pristine).get(2);
      Path dir = copy("missing");
      Files.delete(dir.resolve(middle.getFileName()));
      assertRefuses(dir, segments(pristine).get(3), "offset gap");
    }

    @Test
    void duplicatedMiddleSegment() throws Exception {
      List<Path> all = segments(pristine);
      Path middle = all.get(1);
      long first = WalFormat.parseSegmentFileName(middle.getFileName().toString());
      Path dir = copy("duplicate");
      // The copy lands under a name one past the original: its header and the name disagree, and
      // it overlaps what the original holds.
      Path duplicate = dir.resolve(WalFormat.segmentFileName(first + 1));
      Files.copy(dir.resolve(middle.getFileName()), duplicate);
      assertThatThrownBy(() -> open(dir).close())
          .isInstanceOf(RstmdbException.class)
          .hasMessageContaining(duplicate.getFileName().toString())
          .hasMessageContaining("overlaps");
    }

    @Test
    void middleSegmentWithZerosGarbageOrCutShort() throws Exception {
      Path middle = segments(pristine).get(1);
      long size = Files.size(middle);
      // Only the last segment may end in zeros: rotation cuts a sealed segment's zero tail off.
      Path zeros = copy("middle-zeros");
      Files.write(zeros.resolve(middle.getFileName()), new byte[25], StandardOpenOption.APPEND);
      assertRefuses(zeros, middle, "byte " + size);

      Path garbage = copy("middle-garbage");
      Files.write(
          garbage.resolve(middle.getFileName()), new byte[] {7, 7}, StandardOpenOption.APPEND);
      assertRefuses(garbage, middle, "byte " + size);

      Path cut = copy("middle-cut");
      truncate(cut.resolve(middle.getFileName()), size - 1);
      assertRefuses(cut, middle, "runs past the end");
    }
  }
}
