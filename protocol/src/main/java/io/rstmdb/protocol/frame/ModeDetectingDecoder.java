package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rstmdb.protocol.WireMode;
import java.util.List;

/**
 * Picks the inbound framing from the first byte a peer sends ({@code R} of {@code RCPX} means
 * binary frames, anything else JSONL) and replaces itself with the matching decoder, which then
 * receives every byte buffered so far. A client that asked for JSONL needs this: a reference server
 * may answer HELLO in either mode.
 */
public final class ModeDetectingDecoder extends ByteToMessageDecoder {

  private final int maxPayload;

  public ModeDetectingDecoder(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!in.isReadable()) {
      return;
    }
    WireMode mode =
        in.getByte(in.readerIndex()) == (byte) (FrameFormat.MAGIC >>> 24)
            ? WireMode.BINARY_JSON
            : WireMode.JSONL;
    // Removal is deferred until decode() returns; the leftover bytes then go to the new decoder.
    ctx.pipeline().replace(this, ctx.name(), WireCodecs.newDecoder(mode, maxPayload));
  }
}
