package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import java.util.List;

/**
 * Reads binary RCP frames (wire.md §2.4) and emits each payload as a retained {@link ByteBuf}; the
 * next handler owns and releases it. The header is validated as soon as its 18 bytes are here, so
 * an oversize length is refused before any of the payload is buffered. One instance per channel.
 */
public final class FrameDecoder extends PayloadDecoder {

  public FrameDecoder(int maxPayload) {
    super(maxPayload);
  }

  /** A decoder with the protocol's 16 MiB limit. */
  public FrameDecoder() {
    this(ProtocolLimits.MAX_PAYLOAD);
  }

  @Override
  public WireMode mode() {
    return WireMode.BINARY_JSON;
  }

  @Override
  void decodePayloads(ByteBuf in, List<Object> out) {
    int limit = maxPayload();
    if (in.readableBytes() < FrameFormat.HEADER_LENGTH) {
      return;
    }
    int start = in.readerIndex();
    int magic = in.getInt(start);
    if (magic != FrameFormat.MAGIC) {
      throw fail(in, String.format("bad frame magic 0x%08x, expected 0x52435058 (RCPX)", magic));
    }
    int version = in.getUnsignedShort(start + FrameFormat.VERSION_OFFSET);
    if (version != ProtocolLimits.PROTOCOL_VERSION) {
      throw fail(in, "unsupported frame version " + version + ", expected 1");
    }
    int flags = in.getUnsignedShort(start + FrameFormat.FLAGS_OFFSET);
    if ((flags & ~FrameFormat.KNOWN_FLAGS) != 0) {
      throw fail(in, String.format("invalid frame flags 0x%04x, allowed mask 0x000f", flags));
    }
    int extLength = in.getUnsignedShort(start + FrameFormat.HEADER_EXT_LENGTH_OFFSET);
    long payloadLength = in.getUnsignedInt(start + FrameFormat.PAYLOAD_LENGTH_OFFSET);
    if (payloadLength > limit) {
      throw fail(in, "frame payload of " + payloadLength + " bytes exceeds the limit of " + limit);
    }
    int total = FrameFormat.HEADER_LENGTH + extLength + (int) payloadLength;
    if (in.readableBytes() < total) {
      return;
    }
    int payloadStart = start + FrameFormat.HEADER_LENGTH + extLength;
    if ((flags & FrameFormat.FLAG_CRC_PRESENT) != 0) {
      long expected = in.getUnsignedInt(start + FrameFormat.CRC_OFFSET);
      long actual = Crc32c.of(in, payloadStart, (int) payloadLength);
      if (expected != actual) {
        throw fail(
            in,
            String.format(
                "frame CRC-32C mismatch: header 0x%08x, payload 0x%08x", expected, actual));
      }
    }
    ByteBuf payload = in.retainedSlice(payloadStart, (int) payloadLength);
    in.readerIndex(start + total);
    out.add(payload);
  }
}
