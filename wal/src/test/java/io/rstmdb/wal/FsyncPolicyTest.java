package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FsyncPolicyTest {

  @Test
  void parsesEveryForm() {
    assertThat(FsyncPolicy.parse("every_write")).isEqualTo(new FsyncPolicy.EveryWrite());
    assertThat(FsyncPolicy.parse("EveryWrite")).isEqualTo(new FsyncPolicy.EveryWrite());
    assertThat(FsyncPolicy.parse(" NEVER ")).isEqualTo(new FsyncPolicy.Never());
    assertThat(FsyncPolicy.parse("every_n:100")).isEqualTo(new FsyncPolicy.EveryN(100));
    assertThat(FsyncPolicy.parse("Every_N : 7")).isEqualTo(new FsyncPolicy.EveryN(7));
    assertThat(FsyncPolicy.parse("every_ms:5")).isEqualTo(new FsyncPolicy.EveryMs(5));
  }

  @Test
  void describeIsTheCanonicalTextAndParsesBack() {
    for (FsyncPolicy p :
        new FsyncPolicy[] {
          new FsyncPolicy.EveryWrite(),
          new FsyncPolicy.Never(),
          new FsyncPolicy.EveryN(3),
          new FsyncPolicy.EveryMs(250)
        }) {
      assertThat(FsyncPolicy.parse(p.describe())).isEqualTo(p);
    }
    assertThat(new FsyncPolicy.EveryMs(250).describe()).isEqualTo("every_ms:250");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"every_n:0", "every_n:-1", "every_n:x", "every_ms:", "every_n:99999999999"})
  void badCountsAreRejectedClearly(String text) {
    assertThatThrownBy(() -> FsyncPolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive whole number")
        .hasMessageContaining(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "always", "every_s:5", "every_write:1"})
  void unknownPoliciesNameTheAcceptedForms(String text) {
    assertThatThrownBy(() -> FsyncPolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every_write, never, every_n:N or every_ms:N");
  }

  @Test
  void onlyEveryWriteWaitsForTheSync() {
    assertThat(new FsyncPolicy.EveryWrite().acknowledgesAfterSync()).isTrue();
    assertThat(new FsyncPolicy.EveryN(1).acknowledgesAfterSync()).isFalse();
    assertThat(new FsyncPolicy.Never().acknowledgesAfterSync()).isFalse();
  }
}
