package io.rstmdb.protocol.frame;

import static io.rstmdb.protocol.frame.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecsTest {

  @Test
  void installsDecoderThenEncoderAtTheFront() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    WireCodecs.install(channel.pipeline(), WireMode.BINARY_JSON);
    assertThat(channel.pipeline().names()).startsWith(WireCodecs.DECODER, WireCodecs.ENCODER);
    assertThat(channel.pipeline().get(WireCodecs.DECODER)).isInstanceOf(FrameDecoder.class);
    assertThat(channel.pipeline().get(WireCodecs.ENCODER)).isInstanceOf(FrameEncoder.class);
  }

  @Test
  void installsRightAfterTls() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(WireCodecs.TLS, new ChannelDuplexHandler());
    channel.pipeline().addLast("app", new ChannelInboundHandlerAdapter());
    WireCodecs.install(channel.pipeline(), WireMode.JSONL);
    List<String> names = channel.pipeline().names();
    assertThat(names.subList(0, 4))
        .containsExactly(WireCodecs.TLS, WireCodecs.DECODER, WireCodecs.ENCODER, "app");
    assertThat(WireCodecs.currentMode(channel.pipeline())).isEqualTo(WireMode.JSONL);
  }

  /**
   * HELLO and the first JSONL request arrive in one read. The handler switches to JSONL when it
   * sees HELLO; the bytes after the HELLO frame must reach the JSONL decoder, and the HELLO reply
   * written after the switch must already be a line.
   */
  @Test
  void switchFeedsBytesBufferedBehindHelloToTheNewDecoder() {
    Recorder recorder = new Recorder(WireMode.JSONL);
    EmbeddedChannel channel = new EmbeddedChannel(recorder);
    WireCodecs.install(channel.pipeline(), WireMode.BINARY_JSON);

    byte[] read =
        Frames.concat(Frames.valid("{\"op\":\"HELLO\"}"), utf8("{\"op\":\"PING\"}\n{\"op\":\"INF"));
    channel.writeInbound(Unpooled.wrappedBuffer(read));
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("O\"}\n")));

    assertThat(recorder.seen)
        .containsExactly("{\"op\":\"HELLO\"}", "{\"op\":\"PING\"}", "{\"op\":\"INFO\"}");
    ByteBuf reply = channel.readOutbound();
    assertThat(reply.toString(StandardCharsets.UTF_8)).isEqualTo("{\"hello\":true}\n");
    reply.release();
    assertThat(WireCodecs.currentMode(channel.pipeline())).isEqualTo(WireMode.JSONL);
  }

  @Test
  void switchBackToBinaryAlsoForwardsBufferedBytes() {
    Recorder recorder = new Recorder(WireMode.BINARY_JSON);
    EmbeddedChannel channel = new EmbeddedChannel(recorder);
    WireCodecs.install(channel.pipeline(), WireMode.JSONL);
    byte[] read = Frames.concat(utf8("{\"op\":\"HELLO\"}\n"), Frames.valid("{\"op\":\"PING\"}"));
    channel.writeInbound(Unpooled.wrappedBuffer(read));
    assertThat(recorder.seen).containsExactly("{\"op\":\"HELLO\"}", "{\"op\":\"PING\"}");
    ByteBuf reply = channel.readOutbound();
    assertThat(reply.getInt(0)).isEqualTo(FrameFormat.MAGIC);
    reply.release();
  }

  @Test
  void switchKeepsTheInboundLimit() {
    EmbeddedChannel channel = new EmbeddedChannel();
    WireCodecs.install(
        channel.pipeline(), WireMode.BINARY_JSON, ProtocolLimits.PREAUTH_MAX_PAYLOAD);
    WireCodecs.switchMode(channel.pipeline(), WireMode.JSONL);
    WireDecoder decoder = (WireDecoder) channel.pipeline().get(WireCodecs.DECODER);
    assertThat(decoder.mode()).isEqualTo(WireMode.JSONL);
    assertThat(decoder.maxPayload()).isEqualTo(ProtocolLimits.PREAUTH_MAX_PAYLOAD);
    WireCodecs.setMaxInbound(channel.pipeline(), ProtocolLimits.MAX_PAYLOAD);
    assertThat(decoder.maxPayload()).isEqualTo(ProtocolLimits.MAX_PAYLOAD);
  }

  @Test
  void switchToTheCurrentModeKeepsTheHandlers() {
    EmbeddedChannel channel = new EmbeddedChannel();
    WireCodecs.install(channel.pipeline(), WireMode.BINARY_JSON);
    Object decoder = channel.pipeline().get(WireCodecs.DECODER);
    Object encoder = channel.pipeline().get(WireCodecs.ENCODER);
    WireCodecs.switchMode(channel.pipeline(), WireMode.BINARY_JSON);
    assertThat(channel.pipeline().get(WireCodecs.DECODER)).isSameAs(decoder);
    assertThat(channel.pipeline().get(WireCodecs.ENCODER)).isSameAs(encoder);
  }

  @Test
  void modeDetectorHandsBinaryBytesToAFrameDecoder() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(WireCodecs.DECODER, new ModeDetectingDecoder(1024));
    byte[] frame = Frames.valid("{\"a\":1}");
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 3));
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 3, frame.length - 3));
    assertThat(channel.pipeline().get(WireCodecs.DECODER)).isInstanceOf(FrameDecoder.class);
    assertThat(FrameDecoderTest.drain(channel)).containsExactly("{\"a\":1}");
  }

  @Test
  void modeDetectorHandsTextToAJsonlDecoder() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(WireCodecs.DECODER, new ModeDetectingDecoder(1024));
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("{\"a\":1}\n{\"b\"")));
    assertThat(channel.pipeline().get(WireCodecs.DECODER)).isInstanceOf(JsonlDecoder.class);
    channel.writeInbound(Unpooled.wrappedBuffer(utf8(":2}\n")));
    assertThat(FrameDecoderTest.drain(channel)).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  /** Records payloads; on the first one switches mode and replies, like a server's HELLO. */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<String> seen = new ArrayList<>();
    private final WireMode switchTo;

    Recorder(WireMode switchTo) {
      this.switchTo = switchTo;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      seen.add(buf.toString(StandardCharsets.UTF_8));
      buf.release();
      if (seen.size() == 1) {
        WireCodecs.switchMode(ctx.pipeline(), switchTo);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(utf8("{\"hello\":true}")));
      }
    }
  }
}
