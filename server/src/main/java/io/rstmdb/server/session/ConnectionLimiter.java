package io.rstmdb.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.WireError;
import io.rstmdb.server.metrics.ServerMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code network.max_connections} (decision 10). A connection over the limit gets one
 * error frame ({@code RATE_LIMITED "too many connections"}, id null) and is closed; nothing it
 * sends reaches the session. Shared by all channels of a server.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final AttributeKey<Boolean> ADMITTED =
      AttributeKey.valueOf(ConnectionLimiter.class, "admitted");

  private final int max;
  private final MessageCodec codec;
  private final ServerMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  public ConnectionLimiter(int max, MessageCodec codec, ServerMetrics metrics) {
    this.max = max;
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      LOG.warn(
          "refusing connection from {}: {} connections open (network.max_connections)",
          ctx.channel().remoteAddress(),
          max);
      metrics.connectionError(ErrorCode.RATE_LIMITED.name());
      ByteBuf error =
          codec.encodeError(
              ctx.alloc(), null, WireError.of(ErrorCode.RATE_LIMITED, "too many connections"));
      ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.channel().attr(ADMITTED).set(Boolean.TRUE);
    metrics.connectionOpened();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (Boolean.TRUE.equals(ctx.channel().attr(ADMITTED).get())) {
      super.channelRead(ctx, msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (Boolean.TRUE.equals(ctx.channel().attr(ADMITTED).getAndSet(Boolean.FALSE))) {
      open.decrementAndGet();
      metrics.connectionClosed();
      super.channelInactive(ctx);
    }
  }

  /** Connections currently admitted. */
  public int open() {
    return open.get();
  }
}
