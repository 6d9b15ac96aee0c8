package io.rstmdb.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryReportTest {

  @Test
  void summarySaysWhereRecoveryStartedAndWhatItReplayed() {
    assertThat(new RecoveryReport(null, 0, 1_801_000, List.of()).summary())
        .isEqualTo("full WAL replay: 1801000 records");
    assertThat(new RecoveryReport("snap-1", 1_001_001, 10_000, List.of()).summary())
        .isEqualTo("snapshot snap-1 + 10000 WAL records from offset 1001001");
  }

  @Test
  void summaryNamesRejectedSnapshots() {
    assertThat(new RecoveryReport("snap-1", 9, 2, List.of("snap-2 (checksum mismatch)")).summary())
        .isEqualTo(
            "snapshot snap-1 + 2 WAL records from offset 9; rejected snapshots: [snap-2 (checksum"
                + " mismatch)]");
  }
}
