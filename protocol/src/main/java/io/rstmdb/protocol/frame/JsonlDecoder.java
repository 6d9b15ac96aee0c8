package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import java.util.List;

/**
 * Reads JSONL messages: one JSON document per {@code \n}-terminated line (wire.md §6). Emits each
 * line without its terminator (a trailing {@code \r} is dropped too) as a retained {@link ByteBuf};
 * blank lines are skipped. A line longer than the limit is refused as soon as that many bytes have
 * arrived without a newline. One instance per channel.
 */
public final class JsonlDecoder extends ByteToMessageDecoder implements WireDecoder {

  private int maxPayload;
  private boolean corrupted;
  // Bytes of the current line already scanned for '\n', so long lines are not rescanned per read.
  private int scanned;

  public JsonlDecoder(int maxPayload) {
    setMaxPayload(maxPayload);
  }

  /** A decoder with the protocol's 16 MiB line limit. */
  public JsonlDecoder() {
    this(ProtocolLimits.MAX_PAYLOAD);
  }

  @Override
  public WireMode mode() {
    return WireMode.JSONL;
  }

  @Override
  public int maxPayload() {
    return maxPayload;
  }

  @Override
  public void setMaxPayload(int bytes) {
    if (bytes < 0 || bytes > ProtocolLimits.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "maxPayload must be within 0.." + ProtocolLimits.MAX_PAYLOAD);
    }
    this.maxPayload = bytes;
  }

  /** Bytes received but not yet emitted; lets tests check that buffering stays bounded. */
  int bufferedBytes() {
    return actualReadableBytes();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (corrupted) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    int newline = in.indexOf(start + scanned, end, (byte) '\n');
    if (newline < 0) {
      scanned = end - start;
      // One byte of slack: a maximal line may still end in "\r\n".
      if (scanned > maxPayload + 1) {
        throw fail(in, "JSONL line exceeds the limit of " + maxPayload + " bytes");
      }
      return;
    }
    scanned = 0;
    int length = newline - start;
    if (length > 0 && in.getByte(newline - 1) == '\r') {
      length--;
    }
    if (length > maxPayload) {
      throw fail(in, "JSONL line of " + length + " bytes exceeds the limit of " + maxPayload);
    }
    if (isBlank(in, start, length)) {
      in.readerIndex(newline + 1);
      return;
    }
    ByteBuf line = in.retainedSlice(start, length);
    in.readerIndex(newline + 1);
    out.add(line);
  }

  private static boolean isBlank(ByteBuf in, int start, int length) {
    for (int i = start; i < start + length; i++) {
      byte b = in.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private FrameException fail(ByteBuf in, String message) {
    corrupted = true;
    in.skipBytes(in.readableBytes());
    return new FrameException(message);
  }
}
