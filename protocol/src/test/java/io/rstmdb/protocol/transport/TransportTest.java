package io.rstmdb.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

class TransportTest {

  @Test
  void epollIsChosenWhereItLoads() {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
    assertThat(Epoll.isAvailable())
        .as("native epoll on this Linux machine: %s", Epoll.unavailabilityCause())
        .isTrue();
    assertThat(Transport.best()).isEqualTo(Transport.EPOLL);
  }

  @Test
  void nioCanBeForced() {
    String before = System.getProperty("rstmdb.transport");
    System.setProperty("rstmdb.transport", "nio");
    try {
      assertThat(Transport.best()).isEqualTo(Transport.NIO);
    } finally {
      if (before == null) {
        System.clearProperty("rstmdb.transport");
      } else {
        System.setProperty("rstmdb.transport", before);
      }
    }
  }

  @Test
  void aGroupIsRecognisedByItsTransport() throws Exception {
    for (Transport t : new Transport[] {Transport.NIO, Transport.best()}) {
      EventLoopGroup group = t.newGroup(1);
      try {
        assertThat(Transport.of(group)).isEqualTo(t);
      } finally {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
      }
    }
  }
}
