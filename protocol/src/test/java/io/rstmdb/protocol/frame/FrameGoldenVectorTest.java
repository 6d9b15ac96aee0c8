package io.rstmdb.protocol.frame;

import static io.rstmdb.protocol.frame.Frames.PING_REQUEST;
import static io.rstmdb.protocol.frame.Frames.PONG_RESPONSE;
import static io.rstmdb.protocol.frame.Frames.hex;
import static io.rstmdb.protocol.frame.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The test vectors of wire.md §2.6, byte for byte, through the real encoder and decoder. */
class FrameGoldenVectorTest {

  private static final String REQUEST_HEADER = "52435058 0001 0001 0000 00000033 c32009c4";
  private static final String RESPONSE_HEADER = "52435058 0001 0001 0000 00000041 4b7b432f";

  @Test
  void encoderWritesTheRequestVectorExactly() {
    assertThat(encode(PING_REQUEST))
        .isEqualTo(Frames.concat(hex(REQUEST_HEADER), utf8(PING_REQUEST)));
    assertThat(utf8(PING_REQUEST)).hasSize(51);
  }

  @Test
  void encoderWritesTheResponseVectorExactly() {
    assertThat(encode(PONG_RESPONSE))
        .isEqualTo(Frames.concat(hex(RESPONSE_HEADER), utf8(PONG_RESPONSE)));
    assertThat(utf8(PONG_RESPONSE)).hasSize(65);
  }

  @Test
  void decoderReadsBothVectors() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            Frames.concat(
                hex(REQUEST_HEADER),
                utf8(PING_REQUEST),
                hex(RESPONSE_HEADER),
                utf8(PONG_RESPONSE))));
    ByteBuf first = channel.readInbound();
    ByteBuf second = channel.readInbound();
    assertThat(Frames.text(first)).isEqualTo(PING_REQUEST);
    assertThat(Frames.text(second)).isEqualTo(PONG_RESPONSE);
    first.release();
    second.release();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void crcCheckValueMatchesTheStandard() {
    assertThat(Frames.crc(utf8("123456789"))).isEqualTo(0xE3069283L);
  }

  private static byte[] encode(String payload) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
    channel.writeOutbound(Unpooled.wrappedBuffer(utf8(payload)));
    ByteBuf out = channel.readOutbound();
    byte[] bytes = ByteBufUtil.getBytes(out);
    out.release();
    return bytes;
  }
}
