package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LoneSurrogatesTest {

  @Test
  void findsAHalfWithoutItsPartnerAndPassesPairs() {
    assertThat(LoneSurrogates.in("plain é 😀")).isFalse();
    assertThat(LoneSurrogates.in("\ud83d\ude00")).isFalse();
    assertThat(LoneSurrogates.in("a\ud83d")).isTrue(); // high at the end
    assertThat(LoneSurrogates.in("\ude00a")).isTrue(); // low first
    assertThat(LoneSurrogates.in("\ud83d\ud83d\ude00")).isTrue(); // high, then a pair
    assertThat(LoneSurrogates.in("")).isFalse();
  }

  @Test
  void looksIntoEveryStringOfATree() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    assertThat(LoneSurrogates.in(mapper.readTree("{\"a\":[1,{\"b\":\"x\\ud800\"}]}"))).isTrue();
    assertThat(LoneSurrogates.in(mapper.readTree("{\"a\":[1,{\"b\":\"\\ud83d\\ude00\"}]}")))
        .isFalse();
    assertThat(LoneSurrogates.in(mapper.readTree("[null,true,2.5]"))).isFalse();
  }
}
