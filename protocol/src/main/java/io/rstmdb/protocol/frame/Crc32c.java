package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC-32C of a {@link ByteBuf} region without copying it (wire.md §2.2). */
final class Crc32c {

  private Crc32c() {}

  static long of(ByteBuf buf, int index, int length) {
    CRC32C crc = new CRC32C();
    if (length == 0) {
      return crc.getValue();
    }
    if (buf.hasArray()) {
      crc.update(buf.array(), buf.arrayOffset() + index, length);
    } else if (buf.nioBufferCount() == 1) {
      crc.update(buf.nioBuffer(index, length));
    } else {
      for (ByteBuffer part : buf.nioBuffers(index, length)) {
        crc.update(part);
      }
    }
    return crc.getValue();
  }
}
