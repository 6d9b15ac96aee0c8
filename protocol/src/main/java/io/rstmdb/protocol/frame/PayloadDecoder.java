package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rstmdb.protocol.ProtocolLimits;
import java.util.List;

/**
 * The part both wire decoders share: the adjustable payload limit, and the rule that after a
 * framing error the stream has no recognisable boundaries left, so everything after it is dropped.
 * Subclasses find the messages in {@link #decodePayloads}.
 */
abstract class PayloadDecoder extends ByteToMessageDecoder implements WireDecoder {

  private int maxPayload;
  private boolean corrupted;

  PayloadDecoder(int maxPayload) {
    setMaxPayload(maxPayload);
  }

  @Override
  public final int maxPayload() {
    return maxPayload;
  }

  @Override
  public final void setMaxPayload(int bytes) {
    if (bytes < 0 || bytes > ProtocolLimits.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "maxPayload must be within 0.." + ProtocolLimits.MAX_PAYLOAD);
    }
    this.maxPayload = bytes;
  }

  /** Bytes received but not yet emitted; lets tests check that buffering stays bounded. */
  final int bufferedBytes() {
    return actualReadableBytes();
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (corrupted) {
      in.skipBytes(in.readableBytes());
      return;
    }
    decodePayloads(in, out);
  }

  /**
   * Emits the next complete message of {@code in} as a retained slice, or returns leaving the
   * partial one buffered. Throws what {@link #fail} returns when the stream is broken.
   */
  abstract void decodePayloads(ByteBuf in, List<Object> out);

  /** Marks the stream broken, drops what is buffered and gives the error to throw. */
  final FrameException fail(ByteBuf in, String message) {
    corrupted = true;
    in.skipBytes(in.readableBytes());
    return new FrameException(message);
  }
}
