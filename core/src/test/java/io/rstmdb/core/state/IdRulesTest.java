package io.rstmdb.core.state;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import org.junit.jupiter.api.Test;

class IdRulesTest {

  private static void rejected(String id, String why) {
    assertThatThrownBy(() -> IdRules.check("instance_id", id))
        .isInstanceOf(RstmdbException.class)
        .hasMessage("instance_id " + why)
        .extracting(e -> ((RstmdbException) e).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void missingTooLongAndControlCharactersAreRejected() {
    assertThatThrownBy(() -> IdRules.check("instance_id", null))
        .hasMessage("missing field 'instance_id'");
    rejected("a".repeat(257), "is longer than 256 bytes");
    rejected("€".repeat(86), "is longer than 256 bytes"); // 258 bytes in 86 chars
    rejected("a\u0000", "must not contain control characters");
    rejected("a\u001fb", "must not contain control characters");
    rejected("\u009f", "must not contain control characters");
    rejected("sur\udc00", "must not contain a lone UTF-16 surrogate");
    rejected("\ud800x", "must not contain a lone UTF-16 surrogate");
  }

  @Test
  void anyOtherTextIsAcceptedTheEmptyStringToo() {
    assertThatCode(() -> IdRules.check("instance_id", "")).doesNotThrowAnyException();
    assertThatCode(() -> IdRules.check("machine", "a".repeat(256))).doesNotThrowAnyException();
    assertThatCode(() -> IdRules.check("machine", "order/é/\uD83D\uDE00 with spaces"))
        .doesNotThrowAnyException();
  }

  @Test
  void versionsAreU32() {
    assertThatCode(() -> IdRules.checkVersion(0)).doesNotThrowAnyException();
    assertThatCode(() -> IdRules.checkVersion(IdRules.MAX_VERSION)).doesNotThrowAnyException();
    assertThatThrownBy(() -> IdRules.checkVersion(-1)).isInstanceOf(RstmdbException.class);
    assertThatThrownBy(() -> IdRules.checkVersion(IdRules.MAX_VERSION + 1))
        .isInstanceOf(RstmdbException.class);
  }
}
