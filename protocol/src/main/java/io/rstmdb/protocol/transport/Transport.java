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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Which Netty transport the server and the client use: native io_uring on Linux x86_64 where the
 * kernel allows it, else native epoll, else Java NIO. Each step makes fewer system calls per
 * request than the next: io_uring hands the kernel every read and write of an event loop's turn in
 * one call, and on a VM, where each system call is an expensive exit, that is most of a small
 * request's CPU (docs/performance.md).
 *
 * <p>Set {@code -Drstmdb.transport=epoll} or {@code nio} to go no further than that transport (e.g.
 * to compare, or to rule a native library out when diagnosing).
 *
 * @param name {@code io_uring}, {@code epoll} or {@code nio}
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

  /** Native io_uring: Linux only, when its native library loads and the kernel allows it. */
  public static final Transport IO_URING =
      new Transport(
          "io_uring",
          IoUringIoHandler::newFactory,
          IoUringIoHandle.class,
          IoUringServerSocketChannel.class,
          IoUringSocketChannel.class);

  /**
   * The fastest transport that works here: io_uring, else epoll, else NIO. {@code
   * -Drstmdb.transport=epoll} or {@code nio} caps the choice (e.g. to compare, or where the kernel
   * allows io_uring but a sandbox or monitoring tool should not see it); a transport that cannot
   * load here falls back to the next one.
   *
   * @throws UnknownTransportException when {@code rstmdb.transport} names no transport
   */
  public static Transport best() {
    String given = System.getProperty("rstmdb.transport", "");
    return switch (given.toLowerCase(Locale.ROOT)) {
      case "", "io_uring" -> IoUring.isAvailable() ? IO_URING : epollOrNio();
      case "epoll" -> epollOrNio();
      case "nio" -> NIO;
      default -> throw new UnknownTransportException(given);
    };
  }

  private static Transport epollOrNio() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** {@link #newBestGroup(int, UnaryOperator)} with the transport's own handlers. */
  public static EventLoopGroup newBestGroup(int threads) {
    return newBestGroup(threads, UnaryOperator.identity());
  }

  /**
   * A new event loop group of the {@linkplain #best() best} transport, or of epoll (else NIO) when
   * io_uring is available but cannot make its loops: each loop's ring is locked memory, which
   * kernels before 5.12 count against {@code ulimit -l}. {@link #of} tells which one the group is.
   */
  public static EventLoopGroup newBestGroup(int threads, UnaryOperator<IoHandler> decorate) {
    Transport best = best();
    try {
      return best.newGroup(threads, decorate);
    } catch (RuntimeException | LinkageError e) {
      if (best != IO_URING) {
        throw e;
      }
      // Netty has already shut the loops it made down again.
      return epollOrNio().newGroup(threads, decorate);
    }
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
    if (loops.hasNext() && loops.next() instanceof IoEventLoop loop) {
      if (loop.isCompatible(EPOLL.ioHandleType())) {
        return EPOLL;
      }
      if (loop.isCompatible(IO_URING.ioHandleType())) {
        return IO_URING;
      }
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
