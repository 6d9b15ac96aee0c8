package io.rstmdb.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

class WireErrorTest {

  @Test
  void shortMessagesAreSentAsTheyAre() {
    String message = "instance not found: " + "o".repeat(WireError.MAX_MESSAGE_CHARS - 20);
    assertThat(WireError.of(ErrorCode.INSTANCE_NOT_FOUND, message).message()).isEqualTo(message);
  }

  @Test
  void aMessageQuotingAHugeValueIsCutAndSaysSo() {
    String id = "o".repeat(16 * 1024 * 1024);
    String message =
        WireError.of(ErrorCode.INSTANCE_NOT_FOUND, "instance not found: " + id).message();
    assertThat(message)
        .startsWith("instance not found: ooo")
        .endsWith("… (" + (20 + id.length() - 960) + " more characters)");
    assertThat(message.length()).isLessThanOrEqualTo(WireError.MAX_MESSAGE_CHARS);
  }

  @Test
  void theCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    String message = WireError.of(ErrorCode.BAD_REQUEST, "x" + emoji.repeat(2000)).message();
    String kept = message.substring(0, message.indexOf('…'));
    assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    assertThat(kept.codePoints().skip(1)).allMatch(cp -> cp == 0x1F600);
  }

  @Test
  void textInDetailsIsCutAlike() {
    WireError error =
        new WireError(
            ErrorCode.CONFLICT,
            "state conflict",
            java.util.Map.of("expected", "s".repeat(5_000), "actual_offset", 7L));
    assertThat((String) error.details().get("expected"))
        .hasSizeLessThanOrEqualTo(1024)
        .endsWith("more characters)");
    assertThat(error.details().get("actual_offset")).isEqualTo(7L);
  }
}
