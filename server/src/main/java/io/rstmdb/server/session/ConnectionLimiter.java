package io.rstmdb.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.frame.FrameEncoder;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.WireError;
import io.rstmdb.server.metrics.ServerMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code network.max_connections} (decision 10) at accept: the first pipeline stage,
 * before TLS, so a connection over the limit never costs a TLS handshake (which a silent client
 * never finishes: refused connections used to live for {@code handshake_timeout_secs} each, and a
 * flood held thousands of descriptors over the limit). A refused connection gets none of the later
 * stages ({@link RcpChannelInitializer} stops): on a plain port it gets one error frame ({@code
 * RATE_LIMITED "too many connections"}, id null) and is closed, reading nothing; on a TLS port it
 * is closed at once, since a plain frame would be garbage to a TLS client. An admitted connection
 * gives its slot back when it closes. Shared by all channels of a server.
 *
 * <p>Refusals are logged at WARN at most once per {@link #LOG_INTERVAL_NANOS}, with the number
 * refused since the previous line, so that a flood does not flood the log too.
 */
public final class ConnectionLimiter implements PipelineStage {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final AttributeKey<Boolean> REFUSED =
      AttributeKey.valueOf(ConnectionLimiter.class, "refused");

  /** At most one WARN line about refusals per this many nanoseconds (10 s). */
  static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int max;
  private final boolean tls;
  private final MessageCodec codec;
  private final ServerMetrics metrics;
  private final LongSupplier nanoTime;
  private final AtomicInteger open = new AtomicInteger();

  /** Refusals not yet reported in a WARN line. */
  private final AtomicLong unreported = new AtomicLong();

  /** When the next WARN line may be written (nanoTime); MIN_VALUE before the first. */
  private final AtomicLong nextLog = new AtomicLong(Long.MIN_VALUE);

  /**
   * @param tls whether the port speaks TLS, so that a refused connection gets no plain error frame
   */
  public ConnectionLimiter(int max, boolean tls, MessageCodec codec, ServerMetrics metrics) {
    this(max, tls, codec, metrics, System::nanoTime);
  }

  ConnectionLimiter(
      int max, boolean tls, MessageCodec codec, ServerMetrics metrics, LongSupplier nanoTime) {
    this.max = max;
    this.tls = tls;
    this.codec = codec;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** Admits or refuses a just-accepted connection, before any other stage adds its handlers. */
  @Override
  public void addTo(SocketChannel channel) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refuse(channel);
      return;
    }
    metrics.connectionOpened();
    channel
        .closeFuture()
        .addListener(
            f -> {
              open.decrementAndGet();
              metrics.connectionClosed();
            });
  }

  /** Whether {@link #addTo} refused the channel, so that no later stage should run for it. */
  static boolean refused(Channel channel) {
    return Boolean.TRUE.equals(channel.attr(REFUSED).get());
  }

  private void refuse(SocketChannel channel) {
    channel.attr(REFUSED).set(Boolean.TRUE);
    metrics.connectionError(ErrorCode.RATE_LIMITED.name());
    logRefusal(channel);
    channel.config().setAutoRead(false); // nothing it sends is read
    if (tls) {
      channel.close();
      return;
    }
    ByteBuf payload =
        codec.encodeError(
            channel.alloc(), null, WireError.of(ErrorCode.RATE_LIMITED, "too many connections"));
    ByteBuf frame = channel.alloc().buffer(payload.readableBytes() + 32);
    try {
      FrameEncoder.writeFrame(payload, frame, ProtocolLimits.MAX_PAYLOAD);
    } finally {
      payload.release();
    }
    channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
  }

  private void logRefusal(Channel channel) {
    long count = unreported.incrementAndGet();
    long now = nanoTime.getAsLong();
    long next = nextLog.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextLog.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
      LOG.debug("refusing connection from {} (network.max_connections)", PeerAddress.of(channel));
      return;
    }
    count = unreported.getAndSet(0);
    if (next == Long.MIN_VALUE || count <= 1) {
      LOG.warn(
          "refusing connection from {}: {} connections open (network.max_connections);"
              + " further refusals are logged at most once per {} s",
          PeerAddress.of(channel),
          max,
          TimeUnit.NANOSECONDS.toSeconds(LOG_INTERVAL_NANOS));
    } else {
      LOG.warn(
          "refused {} connections since the last such line, the latest from {}: {} connections"
              + " open (network.max_connections)",
          count,
          PeerAddress.of(channel),
          max);
    }
  }

  /** Connections currently admitted. */
  public int open() {
    return open.get();
  }
}
