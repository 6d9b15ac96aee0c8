package io.rstmdb.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    EngineConfig d = EngineConfig.defaults();
    assertThat(d.maxMachineVersions()).isZero();
    assertThat(d.allowInstanceRecreate()).isFalse();
    assertThat(d.allowFlushAll()).isFalse();
    assertThat(d.idempotencyRetentionMillis()).isEqualTo(24L * 60 * 60 * 1000);
    assertThat(d.compaction())
        .isEqualTo(new EngineConfig.Compaction(true, 10_000, 100L * 1024 * 1024, 60_000));
    assertThat(d.compaction().active()).isTrue();
  }

  @Test
  void compactionIsInactiveWhenDisabledOrWithoutThresholds() {
    assertThat(EngineConfig.Compaction.disabled().active()).isFalse();
    assertThat(new EngineConfig.Compaction(true, 0, 0, 60_000).active()).isFalse();
    assertThat(new EngineConfig.Compaction(false, 5, 5, 0).active()).isFalse();
    assertThat(new EngineConfig.Compaction(true, 0, 1, 0).active()).isTrue();
  }

  @Test
  void witherChangesOneSetting() {
    EngineConfig c = EngineConfig.defaults().withAllowFlushAll(true).withMaxMachineVersions(3);
    assertThat(c.allowFlushAll()).isTrue();
    assertThat(c.maxMachineVersions()).isEqualTo(3);
    assertThat(c.withIdempotencyRetentionMillis(5).idempotencyRetentionMillis()).isEqualTo(5);
    assertThat(c.allowInstanceRecreate()).isFalse();
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> EngineConfig.defaults().withMaxMachineVersions(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EngineConfig.defaults().withIdempotencyRetentionMillis(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EngineConfig.Compaction(true, -1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
