package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.rstmdb.protocol.ProtocolLimits;

/**
 * Writes each outbound payload {@link ByteBuf} as one binary frame exactly as the reference server
 * does (wire.md §2.3): version 1, flags {@code 0x0001}, no header extension, CRC-32C over the
 * payload. Stateless, so one instance may serve many channels.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<ByteBuf> {

  private final int maxPayload;

  public FrameEncoder(int maxPayload) {
    super(ByteBuf.class);
    this.maxPayload = maxPayload;
  }

  /** An encoder with the protocol's 16 MiB limit. */
  public FrameEncoder() {
    this(ProtocolLimits.MAX_PAYLOAD);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ByteBuf msg, boolean preferDirect) {
    int size = FrameFormat.HEADER_LENGTH + msg.readableBytes();
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf payload, ByteBuf out) {
    writeFrame(payload, out, maxPayload);
  }

  /**
   * Appends one frame holding {@code payload}'s readable bytes to {@code out} without consuming
   * {@code payload}; also used by the client and benchmarks that frame outside a pipeline.
   */
  public static void writeFrame(ByteBuf payload, ByteBuf out, int maxPayload) {
    int length = payload.readableBytes();
    if (length > maxPayload) {
      throw new FrameTooLargeException(length, maxPayload);
    }
    out.ensureWritable(FrameFormat.HEADER_LENGTH + length);
    out.writeInt(FrameFormat.MAGIC);
    out.writeShort(ProtocolLimits.PROTOCOL_VERSION);
    out.writeShort(FrameFormat.FLAG_CRC_PRESENT);
    out.writeShort(0);
    out.writeInt(length);
    out.writeInt((int) Crc32c.of(payload, payload.readerIndex(), length));
    out.writeBytes(payload, payload.readerIndex(), length);
  }
}
