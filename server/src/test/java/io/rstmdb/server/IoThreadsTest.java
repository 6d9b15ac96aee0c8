package io.rstmdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.server.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IoThreadsTest {

  @Test
  void halfTheProcessorsAndAtLeastOneByDefault() {
    assertThat(RstmdbServer.ioThreads(null, 2)).isEqualTo(1);
    assertThat(RstmdbServer.ioThreads(null, 1)).isEqualTo(1);
    assertThat(RstmdbServer.ioThreads(null, 16)).isEqualTo(8);
  }

  @Test
  void aSystemPropertyOverridesIt() {
    assertThat(RstmdbServer.ioThreads("3", 2)).isEqualTo(3);
    assertThat(RstmdbServer.ioThreads(" 1 ", 16)).isEqualTo(1);
    assertThat(RstmdbServer.ioThreads("256", 2)).isEqualTo(256);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "abc", "", "2.5", "257", "99999999999"})
  void aValueThatIsNoThreadCountStopsTheStartInsteadOfFallingBackQuietly(String value) {
    assertThatThrownBy(() -> RstmdbServer.ioThreads(value, 2))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: -Drstmdb.ioThreads: must be a whole number from 1 to 256,"
                + " got '"
                + value
                + "'");
  }
}
