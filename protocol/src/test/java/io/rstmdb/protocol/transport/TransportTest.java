package io.rstmdb.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransportTest {

  /**
   * {@code Transport} sets Netty's io_uring switches when it loads, which must come before Netty's
   * {@code IoUring} class loads; some tests below ask {@code IoUring} first.
   */
  @BeforeAll
  static void loadTransportFirst() {
    Transport.best();
  }

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

  /**
   * A client whose first bytes are followed at once by a reset (RST) must still end its channel: on
   * io_uring, Netty 4.2.18's multishot POLLIN poll lost such a reset, and the server kept the
   * connection, and its slot, until the idle timeout (Transport's static initializer).
   */
  @Test
  void aConnectionResetRightAfterItsFirstBytesIsClosedOnEveryTransport() throws Exception {
    if (IoUring.isAvailable()) {
      assertThat(IoUring.isPollAddMultishotEnabled()).isFalse();
    }
    for (Transport t : loadable()) {
      EventLoopGroup group = t.newGroup(1);
      AtomicInteger active = new AtomicInteger();
      AtomicInteger open = new AtomicInteger();
      try {
        Channel server =
            new ServerBootstrap()
                .group(group)
                .channel(t.serverChannel())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                      }

                      @Override
                      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof ChannelInputShutdownEvent) {
                          ctx.close(); // as the server does once nothing is owed
                        }
                      }

                      @Override
                      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                      }

                      @Override
                      public void channelActive(ChannelHandlerContext ctx) {
                        active.incrementAndGet();
                        open.incrementAndGet();
                      }

                      @Override
                      public void channelInactive(ChannelHandlerContext ctx) {
                        open.decrementAndGet();
                      }
                    })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        for (int bytes : new int[] {5, 18, 25, 40}) {
          try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write(new byte[bytes]);
            client.setSoLinger(true, 0);
          }
        }
        // A reset before the accept may drop the connection altogether (NIO accepts only some);
        // each one the server did accept must end.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((active.get() == 0 || open.get() > 0) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(active.get()).as("%s: connections accepted", t.name()).isPositive();
        assertThat(open.get())
            .as("%s: channels still open after their peers reset", t.name())
            .isZero();
        server.close().sync();
      } finally {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
      }
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
