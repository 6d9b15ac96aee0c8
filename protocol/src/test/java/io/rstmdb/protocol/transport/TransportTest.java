package io.rstmdb.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransportTest {

  @Test
  void theNativeTransportsLoadOnLinux() {
    assumeTrue(isLinux(), "Linux only");
    assertThat(Epoll.isAvailable())
        .as("native epoll on this Linux machine: %s", Epoll.unavailabilityCause())
        .isTrue();
    assertThat(bestWith(""))
        .isEqualTo(IoUring.isAvailable() ? Transport.IO_URING : Transport.EPOLL);
  }

  @Test
  void ioUringIsChosenWhereTheKernelAllowsIt() {
    assumeTrue(
        IoUring.isAvailable(), "io_uring not allowed here: " + IoUring.unavailabilityCause());
    assertThat(bestWith("")).isEqualTo(Transport.IO_URING);
    assertThat(bestWith("IO_URING")).isEqualTo(Transport.IO_URING);
  }

  @Test
  void epollCanBeChosenInstead() {
    assumeTrue(isLinux(), "Linux only");
    assertThat(bestWith("epoll")).isEqualTo(Transport.EPOLL);
  }

  @Test
  void aMistypedTransportIsRefusedNotIgnored() {
    assertThatThrownBy(() -> bestWith("epol"))
        .isInstanceOf(UnknownTransportException.class)
        .hasMessage("-Drstmdb.transport=epol names no transport (io_uring, epoll or nio)");
  }

  @Test
  void nioCanBeForced() {
    assertThat(bestWith("nio")).isEqualTo(Transport.NIO);
    assertThat(bestWith("NIO")).isEqualTo(Transport.NIO);
  }

  @Test
  void aGroupIsRecognisedByItsTransport() throws Exception {
    for (Transport t : loadable()) {
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
    for (Transport t : loadable()) {
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

  @Test
  void theBestGroupIsOfTheBestTransport() throws Exception {
    EventLoopGroup group = Transport.newBestGroup(1);
    try {
      assertThat(Transport.of(group)).isEqualTo(Transport.best());
    } finally {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }

  /** Kernels before 5.12 refuse a ring beyond {@code ulimit -l}; that must not stop a start. */
  @Test
  void whenIoUringCannotMakeItsLoopsEpollTakesOver() throws Exception {
    assumeTrue(
        IoUring.isAvailable(), "io_uring not allowed here: " + IoUring.unavailabilityCause());
    EventLoopGroup group =
        Transport.newBestGroup(
            2,
            handler -> {
              if (handler instanceof IoUringIoHandler) {
                handler.destroy();
                throw new IllegalStateException("io_uring_setup: Cannot allocate memory");
              }
              return handler;
            });
    try {
      assertThat(Transport.of(group)).isEqualTo(Transport.EPOLL);
      assertThat(group.iterator()).toIterable().hasSize(2);
    } finally {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }

  /** Every transport that works on this machine. */
  private static List<Transport> loadable() {
    List<Transport> all = new ArrayList<>(List.of(Transport.NIO));
    if (Epoll.isAvailable()) {
      all.add(Transport.EPOLL);
    }
    if (IoUring.isAvailable()) {
      all.add(Transport.IO_URING);
    }
    return all;
  }

  private static Transport bestWith(String property) {
    String before = System.getProperty("rstmdb.transport");
    System.setProperty("rstmdb.transport", property);
    try {
      return Transport.best();
    } finally {
      if (before == null) {
        System.clearProperty("rstmdb.transport");
      } else {
        System.setProperty("rstmdb.transport", before);
      }
    }
  }

  private static boolean isLinux() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
  }
}
