package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.cli.connect.ServerAddress;
import io.rstmdb.cli.format.HumanBytes;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void serverAddressesTakeNamesIpsAndBracketedIpv6() {
    assertThat(ServerAddress.parse("localhost:7401"))
        .isEqualTo(new ServerAddress("localhost", 7401));
    assertThat(ServerAddress.parse("10.0.0.1:1")).isEqualTo(new ServerAddress("10.0.0.1", 1));
    assertThat(ServerAddress.parse("[::1]:7401")).isEqualTo(new ServerAddress("::1", 7401));
    assertThat(ServerAddress.parse("[::1]:7401").toString()).isEqualTo("[::1]:7401");
  }

  @Test
  void malformedServerAddressesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> ServerAddress.parse("localhost")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> ServerAddress.parse("h:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> ServerAddress.parse("h:70000")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> ServerAddress.parse("::1:7401")).hasMessageContaining("IPv6");
  }

  @Test
  void bytesForPeople() {
    assertThat(HumanBytes.format(0)).isEqualTo("0 B");
    assertThat(HumanBytes.format(1023)).isEqualTo("1023 B");
    assertThat(HumanBytes.format(1024)).isEqualTo("1.0 KiB");
    assertThat(HumanBytes.format(134_217_728)).isEqualTo("128.0 MiB");
    assertThat(HumanBytes.format(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }
}
