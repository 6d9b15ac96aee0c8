package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.frame.FrameDecoder;
import io.rstmdb.protocol.frame.FrameEncoder;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.Request;
import io.rstmdb.protocol.message.WireError;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP server that does just what the session handler does for watch ops: decode RCP frames,
 * hand watch requests to a {@link WatchSession}, write the response, then signal it written. It
 * lets the watch machinery be tested over real sockets, with real writability, independently of the
 * rest of the server.
 */
final class SocketWatchServer implements AutoCloseable {
  private final MessageCodec codec = new MessageCodec();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final WatchHub hub;
  private final Channel server;
  final List<WatchSession> sessions = new CopyOnWriteArrayList<>();
  final List<Channel> channels = new CopyOnWriteArrayList<>();

  SocketWatchServer(Database db, WatchSettings settings, WriteBufferWaterMark watermark)
      throws InterruptedException {
    this.hub = new WatchHub(db, settings, codec);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, watermark)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (watermark.high() < WriteBufferWaterMark.DEFAULT.high()) {
                      ch.config().setSendBufferSize(8 * 1024); // make a slow reader felt sooner
                    }
                    ch.pipeline().addLast(new FrameDecoder(), new FrameEncoder(), new Handler());
                  }
                });
    this.server = bootstrap.bind("127.0.0.1", 0).sync().channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  WatchHub hub() {
    return hub;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    channels.forEach(c -> c.close().syncUninterruptibly());
    hub.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private WatchSession session;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      session = hub.newSession(ctx.channel());
      sessions.add(session);
      channels.add(ctx.channel());
      super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      session.close();
      super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      session.writabilityChanged();
      super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Request request;
      ByteBuf payload = (ByteBuf) msg;
      try {
        request = codec.decodeRequest(payload);
      } finally {
        payload.release();
      }
      CompletableFuture<Void> written = new CompletableFuture<>();
      session
          .handle(request, written)
          .whenComplete(
              (result, error) ->
                  ctx.executor()
                      .execute(
                          () -> {
                            ctx.writeAndFlush(encode(ctx, request.id(), result, error));
                            written.complete(null);
                          }));
    }

    private ByteBuf encode(ChannelHandlerContext ctx, String id, JsonNode result, Throwable e) {
      if (e == null) {
        return codec.encodeOk(ctx.alloc(), id, result);
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      WireError error =
          cause instanceof RstmdbException r
              ? new WireError(ErrorCode.valueOf(r.code().name()), r.getMessage(), r.details())
              : WireError.of(ErrorCode.INTERNAL_ERROR, "internal error");
      return codec.encodeError(ctx.alloc(), id, error);
    }
  }
}
