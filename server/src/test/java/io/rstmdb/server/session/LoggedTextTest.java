package io.rstmdb.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggedTextTest {

  @Test
  void aLineBreakOrAnEscapeCannotForgeALogLine() {
    String forged =
        "id\n2026-11-27T00:00:00.000Z ERROR [main] io.rstmdb.server.Main - INJECTED \u001b[31m";
    String logged = LoggedText.quoted(forged);
    assertThat(logged).doesNotContain("\n").doesNotContain("\u001b").startsWith("\"id\\n2026");
    assertThat(logged).contains("\\u001B[31m");
  }

  @Test
  void longTextIsCutAndSaysByHowMuch() {
    String logged = LoggedText.quoted("x".repeat(5_000_000));
    assertThat(logged)
        .hasSizeLessThan(LoggedText.MAX_CHARS + 40)
        .endsWith("… (4999800 more characters)");
  }

  @Test
  void shortTextIsOnlyQuoted() {
    assertThat(LoggedText.quoted("rstmdb-cli")).isEqualTo("\"rstmdb-cli\"");
    assertThat(LoggedText.quoted(null)).isEqualTo("null");
  }
}
