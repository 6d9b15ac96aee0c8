package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import java.util.List;

/**
 * Reads JSONL messages: one JSON document per {@code \n}-terminated line (wire.md §6). Emits each
 * line without its terminator (a trailing {@code \r} is dropped too) as a retained {@link ByteBuf};
 * blank lines are skipped. A line longer than the limit is refused as soon as that many bytes have
 * arrived without a newline. One instance per channel.
 */
public final class JsonlDecoder extends PayloadDecoder {

  // Bytes of the current line already scanned for '\n', so long lines are not rescanned per read.
  private int scanned;

  public JsonlDecoder(int maxPayload) {
    super(maxPayload);
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
  void decodePayloads(ByteBuf in, List<Object> out) {
    int limit = maxPayload();
    int start = in.readerIndex();
    int end = in.writerIndex();
    int newline = in.indexOf(start + scanned, end, (byte) '\n');
    if (newline < 0) {
      scanned = end - start;
      // One byte of slack: a maximal line may still end in "\r\n".
      if (scanned > limit + 1) {
        throw fail(in, "JSONL line exceeds the limit of " + limit + " bytes");
      }
      return;
    }
    scanned = 0;
    int length = newline - start;
    if (length > 0 && in.getByte(newline - 1) == '\r') {
      length--;
    }
    if (length > limit) {
      throw fail(in, "JSONL line of " + length + " bytes exceeds the limit of " + limit);
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
}
