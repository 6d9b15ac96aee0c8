package io.rstmdb.protocol.frame;

import static io.rstmdb.protocol.frame.Frames.frame;
import static io.rstmdb.protocol.frame.Frames.utf8;
import static io.rstmdb.protocol.frame.Frames.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rstmdb.protocol.ProtocolLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private static final byte[] BODY = utf8("{\"type\":\"request\",\"id\":\"7\",\"op\":\"PING\"}");

  @Test
  void rejectsBadMagic() {
    byte[] bad = frame(0x52435031, 1, 1, new byte[0], BODY, Frames.crc(BODY)); // "RCP1"
    assertThatThrownBy(() -> decode(new FrameDecoder(), bad))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("magic")
        .hasMessageContaining("0x52435031");
  }

  @Test
  void rejectsUnsupportedVersion() {
    byte[] bad = frame(FrameFormat.MAGIC, 2, 1, new byte[0], BODY, Frames.crc(BODY));
    assertThatThrownBy(() -> decode(new FrameDecoder(), bad))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void rejectsUnknownFlagBits() {
    byte[] bad = frame(FrameFormat.MAGIC, 1, 0x0011, new byte[0], BODY, Frames.crc(BODY));
    assertThatThrownBy(() -> decode(new FrameDecoder(), bad))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("flags 0x0011");
  }

  @Test
  void acceptsReservedFlagBitsItIgnores() {
    byte[] ok = frame(FrameFormat.MAGIC, 1, 0x000F, new byte[0], BODY, Frames.crc(BODY));
    assertThat(decode(new FrameDecoder(), ok))
        .containsExactly(new String(BODY, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void rejectsOversizeLengthFromTheHeaderAlone() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1000));
    ByteBuf header = Unpooled.buffer();
    header.writeInt(FrameFormat.MAGIC).writeShort(1).writeShort(1).writeShort(0);
    header.writeInt(1001).writeInt(0);
    assertThatThrownBy(() -> channel.writeInbound(header))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("1001")
        .hasMessageContaining("1000");
  }

  @Test
  void protocolMaximumIsAllowedAndOneMoreIsNot() {
    EmbeddedChannel atLimit = new EmbeddedChannel(new FrameDecoder());
    ByteBuf header = Unpooled.buffer();
    header.writeInt(FrameFormat.MAGIC).writeShort(1).writeShort(1).writeShort(0);
    header.writeInt(ProtocolLimits.MAX_PAYLOAD).writeInt(0);
    assertThat(atLimit.writeInbound(header)).isFalse(); // waits for the payload, no error

    EmbeddedChannel overLimit = new EmbeddedChannel(new FrameDecoder());
    ByteBuf tooBig = Unpooled.buffer();
    tooBig.writeInt(FrameFormat.MAGIC).writeShort(1).writeShort(1).writeShort(0);
    tooBig.writeInt(ProtocolLimits.MAX_PAYLOAD + 1).writeInt(0);
    assertThatThrownBy(() -> overLimit.writeInbound(tooBig)).isInstanceOf(FrameException.class);
  }

  @Test
  void hugeUnsignedLengthIsRejectedNotWrapped() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    ByteBuf header = Unpooled.buffer();
    header.writeInt(FrameFormat.MAGIC).writeShort(1).writeShort(1).writeShort(0);
    header.writeInt(0xFFFFFFFF).writeInt(0);
    assertThatThrownBy(() -> channel.writeInbound(header))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("4294967295");
  }

  @Test
  void rejectsCrcMismatch() {
    byte[] bad = frame(FrameFormat.MAGIC, 1, 1, new byte[0], BODY, Frames.crc(BODY) ^ 1);
    assertThatThrownBy(() -> decode(new FrameDecoder(), bad))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("CRC");
  }

  @Test
  void ignoresCrcWhenFlagIsClear() {
    byte[] noCrc = frame(FrameFormat.MAGIC, 1, 0, new byte[0], BODY, 0xDEADBEEFL);
    assertThat(decode(new FrameDecoder(), noCrc)).hasSize(1);
  }

  @Test
  void skipsHeaderExtension() {
    byte[] ext = utf8("ignored-extension");
    byte[] withExt = frame(FrameFormat.MAGIC, 1, 1, ext, BODY, Frames.crc(BODY));
    assertThat(decode(new FrameDecoder(), withExt))
        .containsExactly(new String(BODY, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void acceptsEmptyPayload() {
    assertThat(decode(new FrameDecoder(), valid(new byte[0]))).containsExactly("");
  }

  @Test
  void reassemblesFramesSplitAtEveryByte() {
    byte[] stream = Frames.concat(valid("{\"a\":1}"), valid("{\"b\":2}"));
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    for (byte b : stream) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(drain(channel)).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void splitsMergedFramesAndKeepsThePartialTail() {
    byte[] third = valid("{\"c\":3}");
    byte[] stream = Frames.concat(valid("{\"a\":1}"), valid("{\"b\":2}"), third);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, stream.length - 3));
    assertThat(drain(channel)).containsExactly("{\"a\":1}", "{\"b\":2}");
    channel.writeInbound(Unpooled.wrappedBuffer(stream, stream.length - 3, 3));
    assertThat(drain(channel)).containsExactly("{\"c\":3}");
  }

  @Test
  void discardsEverythingAfterAFramingError() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    byte[] garbage = utf8("GARBAGE-GARBAGE-GARBAGE");
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(garbage)))
        .isInstanceOf(FrameException.class);
    channel.writeInbound(Unpooled.wrappedBuffer(valid("{}")));
    assertThat(drain(channel)).isEmpty();
  }

  @Test
  void raisedLimitAppliesToTheNextHeader() {
    FrameDecoder decoder = new FrameDecoder(ProtocolLimits.PREAUTH_MAX_PAYLOAD);
    byte[] big = new byte[ProtocolLimits.PREAUTH_MAX_PAYLOAD + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    decoder.setMaxPayload(ProtocolLimits.MAX_PAYLOAD);
    assertThat(decode(decoder, valid(big))).hasSize(1);

    FrameDecoder small = new FrameDecoder(ProtocolLimits.PREAUTH_MAX_PAYLOAD);
    assertThatThrownBy(() -> decode(small, valid(big))).isInstanceOf(FrameException.class);
  }

  @Test
  void refusesLimitsOutsideTheProtocolRange() {
    assertThatThrownBy(() -> new FrameDecoder(ProtocolLimits.MAX_PAYLOAD + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emittedPayloadOutlivesTheInputBuffer() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    ByteBuf in = Unpooled.wrappedBuffer(valid("{\"x\":true}"));
    channel.writeInbound(in);
    assertThat(in.refCnt()).isEqualTo(1); // retained slice holds it
    ByteBuf payload = channel.readInbound();
    assertThat(Frames.text(payload)).isEqualTo("{\"x\":true}");
    payload.release();
    assertThat(in.refCnt()).isZero();
  }

  @Test
  void verifiesCrcOverDirectAndCompositeBuffers() {
    byte[] stream = Frames.concat(valid("{\"direct\":1}"), valid("{\"composite\":[1,2,3]}"));
    FrameDecoder decoder = new FrameDecoder();
    decoder.setCumulator(io.netty.handler.codec.ByteToMessageDecoder.COMPOSITE_CUMULATOR);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    // Small direct chunks make the payload span several components of a composite buffer.
    for (int i = 0; i < stream.length; i += 5) {
      int n = Math.min(5, stream.length - i);
      channel.writeInbound(Unpooled.directBuffer(n).writeBytes(stream, i, n));
    }
    assertThat(drain(channel)).containsExactly("{\"direct\":1}", "{\"composite\":[1,2,3]}");

    byte[] corrupt = valid("{\"composite\":[1,2,3]}");
    corrupt[corrupt.length - 2] ^= 0x01;
    FrameDecoder strict = new FrameDecoder();
    strict.setCumulator(io.netty.handler.codec.ByteToMessageDecoder.COMPOSITE_CUMULATOR);
    EmbeddedChannel second = new EmbeddedChannel(strict);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < corrupt.length; i += 5) {
                int n = Math.min(5, corrupt.length - i);
                second.writeInbound(Unpooled.directBuffer(n).writeBytes(corrupt, i, n));
              }
            })
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("CRC");
  }

  @Test
  void encoderRefusesPayloadsOverItsLimit() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(4));
    assertThatThrownBy(() -> channel.writeOutbound(Unpooled.wrappedBuffer(utf8("{\"a\":1}"))))
        .isInstanceOf(FrameTooLargeException.class)
        .satisfies(e -> assertThat(((FrameTooLargeException) e).size()).isEqualTo(7));
    Object written = channel.readOutbound();
    assertThat(written).isNull();
  }

  private static List<String> decode(FrameDecoder decoder, byte[] bytes) {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    return drain(channel);
  }

  static List<String> drain(EmbeddedChannel channel) {
    List<String> out = new ArrayList<>();
    ByteBuf buf;
    while ((buf = channel.readInbound()) != null) {
      out.add(Frames.text(buf));
      buf.release();
    }
    return out;
  }
}
