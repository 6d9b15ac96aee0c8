package io.rstmdb.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.protocol.frame.WireCodecs;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.Request;
import io.rstmdb.protocol.message.WireError;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A scripted RCP peer on a real socket for client tests. Ops: HELLO, AUTH (token "secret"), BYE,
 * ECHO (result {echo: params}), HOLD (answered only after RELEASE, so out of order), RELEASE, EMIT
 * (an event, then the response), FAIL (CONFLICT), ODD_CODE (an unknown code), SILENT (never
 * answered), DROP (closes), FRAMING (connection-level error with id null, then closes).
 */
final class FakeRcpServer implements AutoCloseable {

  final List<Request> received = new CopyOnWriteArrayList<>();
  final List<Channel> connections = new CopyOnWriteArrayList<>();
  private final MessageCodec codec = new MessageCodec();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel serverChannel;
  private final boolean binaryOnly;

  /** Delay before HELLO is answered; negative = never answered. */
  volatile long helloDelayMillis;

  private FakeRcpServer(SslContext ssl, boolean binaryOnly) throws InterruptedException {
    this.binaryOnly = binaryOnly;
    serverChannel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    if (ssl != null) {
                      ch.pipeline().addLast(WireCodecs.TLS, ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast("script", new Script());
                    WireCodecs.install(ch.pipeline(), WireMode.BINARY_JSON);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  static FakeRcpServer start() throws InterruptedException {
    return new FakeRcpServer(null, false);
  }

  /** A server that answers every HELLO with binary_json, whatever the client asked for. */
  static FakeRcpServer startBinaryOnly() throws InterruptedException {
    return new FakeRcpServer(null, true);
  }

  static FakeRcpServer startTls(SslContext ssl) throws InterruptedException {
    return new FakeRcpServer(ssl, false);
  }

  int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  List<String> ops() {
    return received.stream().map(Request::op).toList();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Script extends SimpleChannelInboundHandler<ByteBuf> {
    private String heldId;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Refused TLS handshakes are what several tests provoke (and check on the client's side);
      // left unhandled, Netty would log each one as a warning about a pipeline without a handler.
      ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf payload) {
      Request request = codec.decodeRequest(payload);
      received.add(request);
      String id = request.id();
      ObjectNode result = codec.mapper().createObjectNode();
      switch (request.op()) {
        case "HELLO" -> {
          if (request.params().path("protocol_version").asInt() != 1) {
            error(ctx, id, WireError.of(ErrorCode.BAD_REQUEST, "unsupported protocol version"));
            return;
          }
          JsonNode asked = request.params().path("wire_modes");
          WireMode mode = WireMode.BINARY_JSON;
          if (!binaryOnly && !contains(asked, "binary_json") && contains(asked, "jsonl")) {
            mode = WireMode.JSONL;
          }
          result.put("protocol_version", 1).put("wire_mode", mode.wireName());
          result.put("server_name", "fake").put("server_version", "0");
          result.putArray("features");
          long delay = helloDelayMillis;
          if (delay < 0) {
            return;
          }
          WireMode chosen = mode;
          ctx.executor()
              .schedule(
                  () -> {
                    WireCodecs.switchMode(ctx.pipeline(), chosen);
                    ok(ctx, id, result);
                  },
                  delay,
                  TimeUnit.MILLISECONDS);
        }
        case "AUTH" -> {
          if ("secret".equals(request.params().path("token").asText())) {
            ok(ctx, id, result.put("authenticated", true));
          } else {
            error(
                ctx,
                id,
                WireError.of(ErrorCode.AUTH_FAILED, "authentication failed: invalid token"));
          }
        }
        case "ECHO" -> ok(ctx, id, result.set("echo", request.params()));
        case "HOLD" -> heldId = id;
        case "RELEASE" -> {
          ok(ctx, id, result.put("released", true));
          ok(ctx, heldId, codec.mapper().createObjectNode().put("held", true));
        }
        case "EMIT" -> {
          ObjectNode event = codec.mapper().createObjectNode();
          event.put("subscription_id", "sub-1").set("n", request.params().path("n"));
          ctx.write(codec.encodeEvent(ctx.alloc(), event));
          ok(ctx, id, result);
        }
        case "FAIL" -> error(ctx, id, WireError.of(ErrorCode.CONFLICT, "state conflict"));
        case "ODD_CODE" -> {
          ObjectNode envelope = codec.mapper().createObjectNode();
          envelope.put("type", "response").put("id", id).put("status", "error");
          envelope
              .putObject("error")
              .put("code", "REPLICATION_ERROR")
              .put("message", "x")
              .put("retryable", false)
              .putObject("details")
              .put("hint", "h");
          ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(codec.write(envelope)));
        }
        case "SILENT" -> {}
        case "DROP" -> ctx.close();
        case "FRAMING" ->
            ctx.writeAndFlush(
                    codec.encodeError(
                        ctx.alloc(), null, WireError.of(ErrorCode.BAD_REQUEST, "bad magic")))
                .addListener(ChannelFutureListener.CLOSE);
        case "BYE" ->
            ctx.writeAndFlush(codec.encodeOk(ctx.alloc(), id, result.put("goodbye", true)))
                .addListener(ChannelFutureListener.CLOSE);
        default -> error(ctx, id, WireError.of(ErrorCode.BAD_REQUEST, "unknown op"));
      }
    }

    private boolean contains(JsonNode array, String value) {
      for (JsonNode item : array) {
        if (value.equals(item.asText())) {
          return true;
        }
      }
      return false;
    }

    private void ok(ChannelHandlerContext ctx, String id, JsonNode result) {
      ctx.writeAndFlush(codec.encodeOk(ctx.alloc(), id, result));
    }

    private void error(ChannelHandlerContext ctx, String id, WireError error) {
      ctx.writeAndFlush(codec.encodeError(ctx.alloc(), id, error));
    }
  }
}
