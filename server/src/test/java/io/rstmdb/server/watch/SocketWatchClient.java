package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.rstmdb.protocol.frame.FrameDecoder;
import io.rstmdb.protocol.frame.FrameEncoder;
import io.rstmdb.protocol.message.MessageCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A bare RCP client over a real socket: requests, and events grouped by subscription. */
final class SocketWatchClient implements AutoCloseable {
  private final MessageCodec codec = new MessageCodec();
  private final Channel channel;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> events = new ConcurrentHashMap<>();

  /** Frame kinds in arrival order ("response:<sub>" or "event:<sub>"), for ordering checks. */
  final List<String> arrivals = Collections.synchronizedList(new ArrayList<>());

  SocketWatchClient(EventLoopGroup group, InetSocketAddress server, int receiveBuffer)
      throws InterruptedException {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (receiveBuffer > 0) {
                      ch.config().setReceiveBufferSize(receiveBuffer);
                    }
                    ch.pipeline().addLast(new FrameDecoder(), new FrameEncoder(), new Reader());
                  }
                });
    if (receiveBuffer > 0) {
      bootstrap.option(ChannelOption.SO_RCVBUF, receiveBuffer);
    }
    this.channel = bootstrap.connect(server).sync().channel();
  }

  /** Sends a request and waits for its result; an error response throws. */
  JsonNode call(String op, String paramsJson) throws Exception {
    return send(op, paramsJson).get(10, TimeUnit.SECONDS);
  }

  CompletableFuture<JsonNode> send(String op, String paramsJson) throws Exception {
    String id = String.valueOf(ids.incrementAndGet());
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    pending.put(id, result);
    JsonNode params = paramsJson == null ? null : codec.mapper().readTree(paramsJson);
    channel.writeAndFlush(codec.encodeRequest(channel.alloc(), id, op, params));
    return result;
  }

  /** Events received so far for one subscription, in arrival order. */
  List<ObjectNode> events(String subscriptionId) {
    List<ObjectNode> list = events.get(subscriptionId);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  int eventCount(String subscriptionId) {
    List<ObjectNode> list = events.get(subscriptionId);
    return list == null ? 0 : list.size();
  }

  /** Stops (or resumes) reading from the socket, as a stalled consumer would. */
  void autoRead(boolean on) {
    channel.config().setAutoRead(on);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf payload) {
      ObjectNode frame = (ObjectNode) codec.readTree(payload);
      String type = frame.path("type").asText();
      if (type.equals("event")) {
        String sub = frame.path("subscription_id").asText();
        arrivals.add("event:" + sub);
        events
            .computeIfAbsent(sub, k -> Collections.synchronizedList(new ArrayList<>()))
            .add(frame);
        return;
      }
      CompletableFuture<JsonNode> result = pending.remove(frame.path("id").asText());
      if (result == null) {
        return;
      }
      if (frame.path("status").asText().equals("ok")) {
        arrivals.add("response:" + frame.path("result").path("subscription_id").asText());
        result.complete(frame.get("result"));
      } else {
        result.completeExceptionally(new IllegalStateException(frame.get("error").toString()));
      }
    }
  }
}
