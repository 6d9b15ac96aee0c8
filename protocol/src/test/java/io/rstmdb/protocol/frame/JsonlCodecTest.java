package io.rstmdb.protocol.frame;

import static io.rstmdb.protocol.frame.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonlCodecTest {

  @Test
  void encoderAppendsOneNewline() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlEncoder());
    channel.writeOutbound(Unpooled.wrappedBuffer(utf8(Frames.PONG_RESPONSE)));
    ByteBuf out = channel.readOutbound();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Frames.PONG_RESPONSE + "\n");
    out.release();
  }

  @Test
  void encoderRefusesOversizePayload() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlEncoder(4));
    assertThatThrownBy(() -> channel.writeOutbound(Unpooled.wrappedBuffer(utf8("{\"a\":1}"))))
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("7 bytes");
  }

  @Test
  void decoderSplitsLinesAcrossAndWithinReads() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("{\"a\":1}\n{\"b\"")));
    assertThat(FrameDecoderTest.drain(channel)).containsExactly("{\"a\":1}");
    channel.writeInbound(Unpooled.wrappedBuffer(utf8(":2}\n{\"c\":3}\n")));
    assertThat(FrameDecoderTest.drain(channel)).containsExactly("{\"b\":2}", "{\"c\":3}");
  }

  @Test
  void decoderDropsCarriageReturnsAndBlankLines() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("\n  \r\n{\"a\":1}\r\n")));
    assertThat(FrameDecoderTest.drain(channel)).containsExactly("{\"a\":1}");
  }

  @Test
  void roundTripsThroughEncoderAndDecoder() {
    EmbeddedChannel out = new EmbeddedChannel(new JsonlEncoder());
    out.writeOutbound(Unpooled.wrappedBuffer(utf8("{\"s\":\"line\\nbreak ü\"}")));
    out.writeOutbound(Unpooled.wrappedBuffer(utf8("[]")));
    EmbeddedChannel in = new EmbeddedChannel(new JsonlDecoder());
    ByteBuf chunk;
    while ((chunk = out.readOutbound()) != null) {
      in.writeInbound(chunk);
    }
    assertThat(FrameDecoderTest.drain(in)).containsExactly("{\"s\":\"line\\nbreak ü\"}", "[]");
  }

  @Test
  void decoderRefusesAnOverlongLineBeforeItsNewlineArrives() {
    JsonlDecoder decoder = new JsonlDecoder(16);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("{\"0123456789")));
    assertThat(decoder.bufferedBytes()).isEqualTo(12);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(utf8("abcdefgh"))))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("16");
    assertThat(decoder.bufferedBytes()).isZero();
  }

  @Test
  void decoderAcceptsALineOfExactlyTheLimit() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlDecoder(8));
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("12345678\r\n")));
    assertThat(FrameDecoderTest.drain(channel)).containsExactly("12345678");
  }

  @Test
  void decoderRefusesACompleteLineOverTheLimit() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlDecoder(8));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(utf8("123456789\n"))))
        .isInstanceOf(FrameException.class);
  }

  @Test
  void longLineArrivingInManyReadsIsFoundOnce() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlDecoder());
    StringBuilder expected = new StringBuilder("\"");
    for (int i = 0; i < 2000; i++) {
      String part = "x".repeat(50);
      expected.append(part);
      channel.writeInbound(Unpooled.wrappedBuffer(utf8(i == 0 ? "\"" + part : part)));
    }
    expected.append('"');
    channel.writeInbound(Unpooled.wrappedBuffer(utf8("\"\n")));
    assertThat(FrameDecoderTest.drain(channel)).containsExactly(expected.toString());
  }

  @Test
  void encodedBytesHaveNoHeader() {
    EmbeddedChannel channel = new EmbeddedChannel(new JsonlEncoder());
    channel.writeOutbound(Unpooled.wrappedBuffer(utf8("{}")));
    ByteBuf out = channel.readOutbound();
    assertThat(ByteBufUtil.getBytes(out)).containsExactly('{', '}', '\n');
    out.release();
  }
}
