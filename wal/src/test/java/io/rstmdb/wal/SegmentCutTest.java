package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.WalPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cutAt} makes its offset the first of a new segment, so that deleting before it leaves
 * nothing the snapshot already covers: the segment is sealed at once when nothing below the cut is
 * queued, and right before the first append at the cut otherwise, whatever the fsync policy.
 */
class SegmentCutTest {
  @TempDir Path dir;
  private final TestEntries entries = new TestEntries();

  static Stream<FsyncPolicy> policies() {
    return Stream.of(
        new FsyncPolicy.EveryWrite(), new FsyncPolicy.Never(), new FsyncPolicy.EveryN(3));
  }

  private SegmentedWal open(FsyncPolicy policy) {
    return SegmentedWal.open(dir, WalOptions.defaults().withFsyncPolicy(policy));
  }

  private List<WalPort.Append> append(SegmentedWal wal, long from, int count) {
    List<WalPort.Append> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      made.add(wal.append(List.of(entries.entry(from + i))));
    }
    return made;
  }

  private static void awaitAll(List<WalPort.Append> appends) throws Exception {
    CompletableFuture.allOf(
            appends.stream().map(WalPort.Append::durable).toArray(CompletableFuture[]::new))
        .get(5, TimeUnit.SECONDS);
  }

  private List<String> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(WalFormat.SEGMENT_SUFFIX))
          .sorted()
          .toList();
    }
  }

  private static List<Long> numbers(SegmentedWal wal) {
    return wal.read(0, 1000).stream().map(TestEntries::numberOf).toList();
  }

  @ParameterizedTest
  @MethodSource("policies")
  void withNothingQueuedTheSegmentIsSealedAtOnceAndCanBeDeleted(FsyncPolicy policy)
      throws Exception {
    try (SegmentedWal wal = open(policy)) {
      awaitAll(append(wal, 0, 10));
      wal.cutAt(10).get(5, TimeUnit.SECONDS);
      // Made before the future completed: visible to deleteBefore at once.
      assertThat(wal.stats().segmentCount()).isEqualTo(2);
      assertThat(segmentFiles())
          .containsExactly(WalFormat.segmentFileName(0), WalFormat.segmentFileName(10));

      WalPort.Reclaimed reclaimed = wal.deleteBefore(10);

      assertThat(reclaimed.unitsDeleted()).isEqualTo(1);
      assertThat(wal.oldestOffset()).isEqualTo(10);
      assertThat(segmentFiles()).containsExactly(WalFormat.segmentFileName(10));
      awaitAll(append(wal, 10, 5));
      assertThat(numbers(wal)).containsExactly(10L, 11L, 12L, 13L, 14L);
    }
    try (SegmentedWal reopened = open(policy)) {
      assertThat(reopened.oldestOffset()).isEqualTo(10);
      assertThat(reopened.nextOffset()).isEqualTo(15);
      assertThat(numbers(reopened)).containsExactly(10L, 11L, 12L, 13L, 14L);
    }
  }

  @ParameterizedTest
  @MethodSource("policies")
  void appendsQueuedOnBothSidesOfTheCutAreSplitExactlyThere(FsyncPolicy policy) throws Exception {
    try (SegmentedWal wal = open(policy)) {
      awaitAll(append(wal, 0, 3)); // the segment has records before the burst
      // One burst: the writer may take the appends below the cut alone or together with the
      // ones after it; either way the new segment begins at the cut.
      List<CompletableFuture<Void>> cut = new ArrayList<>();
      List<WalPort.Append> all =
          wal.inBurst(
              () -> {
                List<WalPort.Append> made = new ArrayList<>(append(wal, 3, 4));
                cut.add(wal.cutAt(7));
                made.addAll(append(wal, 7, 5));
                return made;
              });
      awaitAll(all);
      cut.get(0).get(5, TimeUnit.SECONDS);
      assertThat(wal.stats().segmentCount()).isEqualTo(2);
      assertThat(segmentFiles())
          .containsExactly(WalFormat.segmentFileName(0), WalFormat.segmentFileName(7));
      assertThat(numbers(wal)).isEqualTo(LongStream.range(0, 12).boxed().toList());
    }
    try (SegmentedWal reopened = open(policy)) {
      assertThat(numbers(reopened)).isEqualTo(LongStream.range(0, 12).boxed().toList());
      assertThat(reopened.deleteBefore(7).unitsDeleted()).isEqualTo(1);
      assertThat(numbers(reopened)).isEqualTo(LongStream.range(7, 12).boxed().toList());
    }
  }

  @Test
  void aCutWhereTheCurrentSegmentBeginsOrAwayFromTheNextOffsetChangesNothing() throws Exception {
    try (SegmentedWal wal = open(new FsyncPolicy.EveryWrite())) {
      wal.cutAt(0).get(5, TimeUnit.SECONDS); // the fresh segment begins at 0 already
      awaitAll(append(wal, 0, 4));
      // Not the next offset (below it: already written; above it): ignored, done at once.
      assertThat(wal.cutAt(2)).isDone();
      assertThat(wal.cutAt(99)).isDone();
      awaitAll(append(wal, 4, 4));
      assertThat(wal.stats().segmentCount()).isEqualTo(1);
      assertThat(segmentFiles()).containsExactly(WalFormat.segmentFileName(0));
      assertThat(numbers(wal)).isEqualTo(LongStream.range(0, 8).boxed().toList());
    }
  }

  @Test
  void repeatedCutsWithoutAppendsInBetweenMakeOneNewSegment() throws Exception {
    try (SegmentedWal wal = open(new FsyncPolicy.EveryWrite())) {
      awaitAll(append(wal, 0, 2));
      wal.cutAt(2).get(5, TimeUnit.SECONDS);
      wal.cutAt(2).get(5, TimeUnit.SECONDS);
      wal.cutAt(2).get(5, TimeUnit.SECONDS);
      awaitAll(append(wal, 2, 2));
      assertThat(wal.stats().segmentCount()).isEqualTo(2);
    }
  }

  @Test
  void aCutOnAClosedLogIsIgnored() {
    SegmentedWal wal = open(new FsyncPolicy.EveryWrite());
    wal.close();
    assertThat(wal.cutAt(0)).isDone();
    assertThat(wal.nextOffset()).isZero();
  }
}
