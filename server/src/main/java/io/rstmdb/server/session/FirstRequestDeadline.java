package io.rstmdb.server.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has not sent one whole request frame within {@code
 * network.handshake_timeout_secs} of connecting, or of finishing its TLS handshake (which {@code
 * SslHandler} times with the same setting, and whose failures it reports itself).
 *
 * <p>Every official client sends HELLO as soon as it connects, so only a stalled or hostile peer
 * meets this deadline: one that connects and says nothing, or trickles part of a frame, would
 * otherwise hold a {@code max_connections} slot until the idle timeout (300 s by default). It also
 * bounds a fault of Netty 4.2.18's io_uring transport, which never notices a peer that resets the
 * connection right after its first bytes (docs/operations.md, io_uring).
 *
 * <p>With {@code auth.required} on, the deadline is for a successful AUTH instead of for any
 * request: HELLO and PING pass the auth gate and reset the idle timer, so without this a client
 * with no token could ping every few seconds and hold its slot forever (enough of them hold every
 * slot, and legitimate clients are refused with RATE_LIMITED). The session ends the deadline with
 * {@link #authenticated} when AUTH first succeeds.
 *
 * <p>Sits after the frame decoder: the first decoded frame (or, when auth is required, the first
 * successful AUTH) disarms it and takes it out of the pipeline, so it costs nothing once a session
 * is under way. One instance per connection.
 */
public final class FirstRequestDeadline extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(FirstRequestDeadline.class);

  private final long timeoutSecs;
  private final boolean untilAuthenticated;
  private ScheduledFuture<?> timer;

  /** A deadline for the first whole request. */
  public FirstRequestDeadline(long timeoutSecs) {
    this(timeoutSecs, false);
  }

  /**
   * @param untilAuthenticated whether the deadline holds until a successful AUTH ({@code
   *     auth.required}) rather than until the first whole request
   */
  public FirstRequestDeadline(long timeoutSecs, boolean untilAuthenticated) {
    this.timeoutSecs = timeoutSecs;
    this.untilAuthenticated = untilAuthenticated;
  }

  /** The session authenticated: ends the deadline of its connection, if it has one. */
  public static void authenticated(ChannelPipeline pipeline) {
    FirstRequestDeadline deadline = pipeline.get(FirstRequestDeadline.class);
    if (deadline != null) {
      pipeline.remove(deadline);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Accepted channels are already active when the initializer adds their handlers.
    if (ctx.channel().isActive() && !usesTls(ctx)) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!usesTls(ctx)) {
      arm(ctx);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
      arm(ctx);
    }
    ctx.fireUserEventTriggered(evt);
  }

  private static boolean usesTls(ChannelHandlerContext ctx) {
    return ctx.pipeline().get(SslHandler.class) != null;
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer == null) {
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutSecs, TimeUnit.SECONDS);
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    if (!ctx.channel().isOpen()) {
      return;
    }
    if (untilAuthenticated) {
      LOG.info(
          "closing connection {}: not authenticated within {} s (network.handshake_timeout_secs,"
              + " auth.required)",
          PeerAddress.of(ctx.channel()),
          timeoutSecs);
    } else {
      LOG.info(
          "closing connection {}: no whole request within {} s (network.handshake_timeout_secs)",
          PeerAddress.of(ctx.channel()),
          timeoutSecs);
    }
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!untilAuthenticated) {
      ctx.pipeline().remove(this);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
