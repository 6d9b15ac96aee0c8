package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparseIndexTest {

  @Test
  void keepsOneEntryPerIntervalAndFindsTheFloor() {
    SparseIndex index = new SparseIndex();
    // Records of 1000 bytes from position 24: offsets 0..999.
    for (int i = 0; i < 1000; i++) {
      index.add(i, 24 + 1000L * i);
    }
    assertThat(index.floor(-1)).isEqualTo(-1);
    assertThat(index.floor(0)).isEqualTo(24);
    long p = index.floor(500);
    assertThat(p).isLessThanOrEqualTo(24 + 1000L * 500);
    assertThat(24 + 1000L * 500 - p).isLessThan(SparseIndex.INTERVAL + 1000);
    assertThat(index.floor(5_000)).isLessThanOrEqualTo(24 + 1000L * 999);
  }

  @Test
  void truncationForgetsLaterEntries() {
    SparseIndex index = new SparseIndex();
    for (int i = 0; i < 1000; i++) {
      index.add(i, 24 + 1000L * i);
    }
    index.truncateFrom(300);
    assertThat(index.floor(999)).isLessThan(24 + 1000L * 300);
    index.add(300, 24 + 1000L * 300);
    assertThat(index.floor(999)).isLessThanOrEqualTo(24 + 1000L * 300);
  }
}
