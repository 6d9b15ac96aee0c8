package io.rstmdb.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FrameCodecPropertyTest {

  private static final int LIMIT = 1024;

  @Property(tries = 200)
  void payloadsRoundTripWhateverTheReadBoundaries(
      @ForAll @Size(max = 8) List<@Size(max = 2048) byte[]> payloads,
      @ForAll @IntRange(min = 1, max = 97) int chunk) {
    EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder());
    ByteBuf wire = Unpooled.buffer();
    for (byte[] payload : payloads) {
      encoder.writeOutbound(Unpooled.wrappedBuffer(payload));
      ByteBuf frame = encoder.readOutbound();
      wire.writeBytes(frame);
      frame.release();
    }
    EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
    while (wire.isReadable()) {
      decoder.writeInbound(wire.readRetainedSlice(Math.min(chunk, wire.readableBytes())));
    }
    wire.release();
    List<byte[]> decoded = new ArrayList<>();
    ByteBuf out;
    while ((out = decoder.readInbound()) != null) {
      decoded.add(ByteBufUtil.getBytes(out));
      out.release();
    }
    assertThat(decoded).containsExactlyElementsOf(payloads);
  }

  @Property(tries = 200)
  void arbitraryBytesOnlyEverFailWithFrameExceptionAndStayBounded(
      @ForAll("hostileStreams") byte[] stream, @ForAll @IntRange(min = 1, max = 4096) int chunk) {
    FrameDecoder decoder = new FrameDecoder(LIMIT);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    int offset = 0;
    boolean failed = false;
    while (offset < stream.length && !failed) {
      int n = Math.min(chunk, stream.length - offset);
      try {
        channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, n));
      } catch (FrameException e) {
        failed = true;
      }
      offset += n;
      // Never more than one incomplete frame of at most the limit is held.
      assertThat(decoder.bufferedBytes()).isLessThan(FrameFormat.HEADER_LENGTH + 65_535 + LIMIT);
    }
    ByteBuf out;
    while ((out = channel.readInbound()) != null) {
      assertThat(out.readableBytes()).isLessThanOrEqualTo(LIMIT);
      out.release();
    }
    discard(channel, decoder);
  }

  @Property(tries = 200)
  void jsonlLinesRoundTrip(
      @ForAll @Size(max = 8)
          List<@Size(min = 1, max = 300) List<@IntRange(min = 0x20, max = 0x7E) Integer>> lines,
      @ForAll @IntRange(min = 1, max = 50) int chunk) {
    List<String> texts = new ArrayList<>();
    for (List<Integer> chars : lines) {
      StringBuilder sb = new StringBuilder();
      chars.forEach(c -> sb.append((char) c.intValue()));
      if (!sb.toString().isBlank()) {
        texts.add(sb.toString());
      }
    }
    EmbeddedChannel encoder = new EmbeddedChannel(new JsonlEncoder());
    ByteBuf wire = Unpooled.buffer();
    for (String text : texts) {
      encoder.writeOutbound(Unpooled.wrappedBuffer(Frames.utf8(text)));
      ByteBuf line = encoder.readOutbound();
      wire.writeBytes(line);
      line.release();
    }
    EmbeddedChannel decoder = new EmbeddedChannel(new JsonlDecoder());
    while (wire.isReadable()) {
      decoder.writeInbound(wire.readRetainedSlice(Math.min(chunk, wire.readableBytes())));
    }
    wire.release();
    assertThat(FrameDecoderTest.drain(decoder)).containsExactlyElementsOf(texts);
  }

  @Property(tries = 200)
  void arbitraryBytesIntoTheJsonlDecoderOnlyEverFailWithFrameException(
      @ForAll @Size(max = 3000) byte[] stream, @ForAll @IntRange(min = 1, max = 700) int chunk) {
    JsonlDecoder decoder = new JsonlDecoder(LIMIT);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    for (int offset = 0; offset < stream.length; offset += chunk) {
      int n = Math.min(chunk, stream.length - offset);
      try {
        channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, n));
      } catch (FrameException e) {
        break;
      }
      assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(LIMIT + 1);
    }
    ByteBuf out;
    while ((out = channel.readInbound()) != null) {
      assertThat(out.readableBytes()).isLessThanOrEqualTo(LIMIT);
      out.release();
    }
    discard(channel, decoder);
  }

  /**
   * Releases what the decoder still buffers (an incomplete message), as closing a real channel
   * would: removed, the decoder hands it on, and the channel releases it with everything else.
   */
  private static void discard(EmbeddedChannel channel, ChannelHandler decoder) {
    channel.pipeline().remove(decoder);
    channel.finishAndReleaseAll();
  }

  @Provide
  Arbitrary<byte[]> hostileStreams() {
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    Arbitrary<byte[]> plausibleHeader =
        Combinators.combine(
                Arbitraries.integers().between(0, 17),
                Arbitraries.integers().between(0, 65_535),
                Arbitraries.longs().between(0, 0xFFFFFFFFL),
                Arbitraries.integers())
            .as(
                (flags, ext, length, crc) -> {
                  ByteBuf b = Unpooled.buffer(18);
                  b.writeInt(FrameFormat.MAGIC).writeShort(1).writeShort(flags).writeShort(ext);
                  b.writeInt((int) (length % 4 == 0 ? length : length % (2 * LIMIT))).writeInt(crc);
                  return ByteBufUtil.getBytes(b);
                });
    return Combinators.combine(plausibleHeader, noise, Arbitraries.integers().between(0, 2))
        .as((header, tail, kind) -> kind == 0 ? tail : Frames.concat(header, tail));
  }
}
