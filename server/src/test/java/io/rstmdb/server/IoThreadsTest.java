package io.rstmdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IoThreadsTest {
  private final String before = System.getProperty("rstmdb.ioThreads");

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty("rstmdb.ioThreads");
    } else {
      System.setProperty("rstmdb.ioThreads", before);
    }
  }

  @Test
  void halfTheProcessorsAndAtLeastOneByDefault() {
    System.clearProperty("rstmdb.ioThreads");
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(RstmdbServer.ioThreads()).isEqualTo(Math.max(1, cores / 2)).isPositive();
  }

  @Test
  void aSystemPropertyOverridesIt() {
    System.setProperty("rstmdb.ioThreads", "3");
    assertThat(RstmdbServer.ioThreads()).isEqualTo(3);
    System.setProperty("rstmdb.ioThreads", "0");
    assertThat(RstmdbServer.ioThreads())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }
}
