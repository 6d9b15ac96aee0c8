package io.rstmdb.testkit.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void startsAtAFixedInstantAndStandsStill() {
    FakeClock clock = new FakeClock();
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.millis()).isEqualTo(clock.millis()).isEqualTo(1_767_225_600_000L);
  }

  @Test
  void advancesAndSets() {
    FakeClock clock = FakeClock.at(Instant.ofEpochMilli(1_000));
    assertThat(clock.advanceMillis(5)).isEqualTo(1_005);
    assertThat(clock.advance(Duration.ofSeconds(2))).isEqualTo(3_005);
    clock.set(10);
    assertThat(clock.millis()).isEqualTo(10);
    clock.set(Instant.ofEpochMilli(20));
    assertThat(clock.millis()).isEqualTo(20);
  }

  @Test
  void refusesToAdvanceBackwards() {
    FakeClock clock = new FakeClock(0);
    assertThatThrownBy(() -> clock.advanceMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.millis()).isZero();
  }

  @Test
  void concurrentAdvancesAreNotLost() throws Exception {
    FakeClock clock = new FakeClock(0);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  clock.advanceMillis(1);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(clock.millis()).isEqualTo(40_000);
  }
}
