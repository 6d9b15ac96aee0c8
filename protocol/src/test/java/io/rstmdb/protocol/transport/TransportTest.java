package io.rstmdb.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.util.HashSet;
import java.util.Set;
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

  /**
   * Netty's {@code IoEventLoopGroup.isCompatible} asks {@code next()}, which moves the group's
   * round-robin on: asked once per connection, it made every second registration skip a loop, so
   * that all clients sharing a two-loop group (the bench tool's) ran on one thread.
   */
  @Test
  void recognisingAGroupDoesNotMoveItsRoundRobin() throws Exception {
    for (Transport t : new Transport[] {Transport.NIO, Transport.best()}) {
      EventLoopGroup group = t.newGroup(2);
      try {
        Set<EventLoop> chosen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
          assertThat(Transport.of(group)).isEqualTo(t);
          chosen.add(group.next());
        }
        assertThat(chosen).as("loops chosen by next() between recognitions").hasSize(2);
      } finally {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
      }
    }
  }
}
