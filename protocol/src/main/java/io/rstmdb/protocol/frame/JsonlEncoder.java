package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.rstmdb.protocol.ProtocolLimits;

/**
 * Writes each outbound payload followed by {@code \n}. Payloads are compact JSON, whose strings
 * escape newlines, so the terminator is unambiguous. Stateless.
 */
@Sharable
public final class JsonlEncoder extends MessageToByteEncoder<ByteBuf> {

  private final int maxPayload;

  public JsonlEncoder(int maxPayload) {
    super(ByteBuf.class);
    this.maxPayload = maxPayload;
  }

  /** An encoder with the protocol's 16 MiB limit. */
  public JsonlEncoder() {
    this(ProtocolLimits.MAX_PAYLOAD);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ByteBuf msg, boolean preferDirect) {
    int size = msg.readableBytes() + 1;
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf payload, ByteBuf out) {
    int length = payload.readableBytes();
    if (length > maxPayload) {
      throw new FrameTooLargeException(length, maxPayload);
    }
    out.writeBytes(payload, payload.readerIndex(), length);
    out.writeByte('\n');
  }
}
