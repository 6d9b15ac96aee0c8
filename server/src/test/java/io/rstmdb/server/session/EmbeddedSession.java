package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rstmdb.core.api.Database;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.protocol.frame.FrameEncoder;
import io.rstmdb.protocol.frame.WireCodecs;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.server.auth.TokenAuthenticator;
import io.rstmdb.server.dispatch.Dispatcher;
import io.rstmdb.server.dispatch.ResultJson;
import io.rstmdb.server.dispatch.ServerIdentity;
import io.rstmdb.server.error.WireErrors;
import io.rstmdb.server.metrics.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A session on an {@link EmbeddedChannel}: raw bytes in, raw frames out. */
final class EmbeddedSession {

  static final ObjectMapper MAPPER = new ObjectMapper();

  final EmbeddedChannel channel;
  final ServerMetrics metrics = new ServerMetrics(new SimpleMeterRegistry());
  final InFlightRequests inFlight = new InFlightRequests();

  EmbeddedSession(Database db, TokenAuthenticator auth) {
    MessageCodec codec = new MessageCodec();
    ResultJson json = new ResultJson(codec.mapper());
    WireErrors errors = new WireErrors();
    ServerIdentity identity = new ServerIdentity("rstmdb-java", "test", ServerIdentity.FEATURES);
    SessionServices services =
        new SessionServices(
            codec,
            new Dispatcher(db, json, errors, identity, Runnable::run),
            auth,
            errors,
            json,
            metrics,
            identity,
            ch -> new UnavailableWatches(),
            inFlight);
    channel =
        new EmbeddedChannel(
            new ChannelInitializer<EmbeddedChannel>() {
              @Override
              protected void initChannel(EmbeddedChannel ch) {
                WireCodecs.install(ch.pipeline(), WireMode.BINARY_JSON);
                ch.pipeline().addLast("session", new SessionHandler(services));
              }
            });
  }

  static ByteBuf frame(String json) {
    ByteBuf out = Unpooled.buffer();
    FrameEncoder.writeFrame(
        Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)),
        out,
        ProtocolLimits.MAX_PAYLOAD);
    return out;
  }

  static String request(String id, String op, String params) {
    return "{\"type\":\"request\",\"id\":\""
        + id
        + "\",\"op\":\""
        + op
        + "\""
        + (params == null ? "" : ",\"params\":" + params)
        + "}";
  }

  void send(String json) {
    channel.writeInbound(frame(json));
  }

  void sendRaw(ByteBuf bytes) {
    channel.writeInbound(bytes);
  }

  /** All bytes written so far, concatenated. */
  byte[] outboundBytes() {
    ByteBuf all = Unpooled.buffer();
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      all.writeBytes(b);
      b.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }

  /** Every binary frame written so far, as payload strings. */
  List<String> framePayloads() {
    byte[] bytes = outboundBytes();
    List<String> out = new ArrayList<>();
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    while (buf.readableBytes() >= 18) {
      int magic = buf.readInt();
      if (magic != 0x52435058) {
        throw new AssertionError("bad magic in server output");
      }
      buf.skipBytes(4);
      int ext = buf.readUnsignedShort();
      int len = buf.readInt();
      buf.skipBytes(4 + ext);
      byte[] payload = new byte[len];
      buf.readBytes(payload);
      out.add(new String(payload, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Every response frame as JSON. */
  List<JsonNode> responses() {
    List<JsonNode> out = new ArrayList<>();
    for (String s : framePayloads()) {
      try {
        out.add(MAPPER.readTree(s));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  JsonNode single() {
    List<JsonNode> all = responses();
    if (all.size() != 1) {
      throw new AssertionError("expected one response, got " + all);
    }
    return all.get(0);
  }
}
