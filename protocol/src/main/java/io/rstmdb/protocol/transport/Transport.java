package io.rstmdb.protocol.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.Iterator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Which Netty transport the server and the client use: native epoll on Linux (x86_64), Java NIO
 * everywhere else. Epoll is edge-triggered and makes fewer system calls and less garbage per
 * request than the NIO selector; on a 2-vCPU machine where the kernel side of networking is a large
 * part of each request's CPU, that is throughput (docs/performance.md).
 *
 * <p>Set {@code -Drstmdb.transport=nio} to force NIO (e.g. to compare, or to rule the native
 * library out when diagnosing).
 *
 * @param name {@code epoll} or {@code nio}
 * @param ioHandlers what event loops of this transport are made of
 * @param ioHandleType what those loops register, to recognise a caller's event loop group
 * @param serverChannel the listening channel class
 * @param channel the connection channel class
 */
public record Transport(
    String name,
    Supplier<IoHandlerFactory> ioHandlers,
    Class<? extends IoHandle> ioHandleType,
    Class<? extends ServerSocketChannel> serverChannel,
    Class<? extends SocketChannel> channel) {

  /** Java NIO: available everywhere. */
  public static final Transport NIO =
      new Transport(
          "nio",
          NioIoHandler::newFactory,
          NioIoHandle.class,
          NioServerSocketChannel.class,
          NioSocketChannel.class);

  /** Native epoll: Linux only, when its native library loads. */
  public static final Transport EPOLL =
      new Transport(
          "epoll",
          EpollIoHandler::newFactory,
          EpollIoHandle.class,
          EpollServerSocketChannel.class,
          EpollSocketChannel.class);

  /** Epoll where it works, otherwise NIO; {@code -Drstmdb.transport=nio} forces NIO. */
  public static Transport best() {
    if ("nio".equalsIgnoreCase(System.getProperty("rstmdb.transport", ""))) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /**
   * The transport whose channels can be registered with {@code group} (NIO if unknown). Asks what
   * the loops can register rather than what class their handler is, so that a decorated handler
   * (see {@link #newGroup(int, UnaryOperator)}) still counts.
   */
  public static Transport of(EventLoopGroup group) {
    // Asks one of the group's loops, not the group: IoEventLoopGroup.isCompatible asks next(),
    // which moves the group's round-robin on, so that every connection registered after asking
    // skipped a loop and a two-loop group ran all its connections on one thread.
    Iterator<EventExecutor> loops = group.iterator();
    if (loops.hasNext()
        && loops.next() instanceof IoEventLoop loop
        && loop.isCompatible(EPOLL.ioHandleType())) {
      return EPOLL;
    }
    return NIO;
  }

  /** A new event loop group of this transport with {@code threads} threads (0: Netty's default). */
  public EventLoopGroup newGroup(int threads) {
    return newGroup(threads, UnaryOperator.identity());
  }

  /**
   * A new event loop group whose loops run this transport's handler wrapped by {@code decorate},
   * e.g. to do something around each round of I/O ({@link IoHandler#run}).
   */
  public EventLoopGroup newGroup(int threads, UnaryOperator<IoHandler> decorate) {
    IoHandlerFactory plain = ioHandlers.get();
    IoHandlerFactory decorated = executor -> decorate.apply(plain.newHandler(executor));
    return new MultiThreadIoEventLoopGroup(threads, decorated);
  }
}
