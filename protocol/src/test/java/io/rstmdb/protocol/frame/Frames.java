package io.rstmdb.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** Hand-built frames for decoder tests, independent of {@link FrameEncoder}. */
final class Frames {

  static final String PING_REQUEST =
      "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\",\"params\":{}}";
  static final String PONG_RESPONSE =
      "{\"type\":\"response\",\"id\":\"1\",\"status\":\"ok\",\"result\":{\"pong\":true}}";

  private Frames() {}

  static byte[] frame(int magic, int version, int flags, byte[] ext, byte[] payload, long crc) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeInt(magic).writeShort(version).writeShort(flags).writeShort(ext.length);
    buf.writeInt(payload.length).writeInt((int) crc).writeBytes(ext).writeBytes(payload);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  static byte[] valid(byte[] payload) {
    return frame(FrameFormat.MAGIC, 1, 1, new byte[0], payload, crc(payload));
  }

  static byte[] valid(String payload) {
    return valid(utf8(payload));
  }

  static long crc(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return crc.getValue();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  static String text(ByteBuf buf) {
    return buf.toString(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteBuf buf = Unpooled.buffer();
    for (byte[] part : parts) {
      buf.writeBytes(part);
    }
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }
}
