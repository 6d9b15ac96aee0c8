package io.rstmdb.protocol.frame;

/** Byte layout of a binary RCP frame (wire.md §2). */
public final class FrameFormat {

  /** ASCII {@code RCPX}, big-endian. */
  public static final int MAGIC = 0x52435058;

  /** Size of the fixed header that precedes the header extension and the payload. */
  public static final int HEADER_LENGTH = 18;

  /** Flag bit 0: the crc32c field covers the payload and must be verified. */
  public static final int FLAG_CRC_PRESENT = 0x0001;

  /**
   * Every flag bit a frame may carry; COMPRESSED, STREAM and END_STREAM are accepted and ignored.
   */
  public static final int KNOWN_FLAGS = 0x000F;

  static final int VERSION_OFFSET = 4;
  static final int FLAGS_OFFSET = 6;
  static final int HEADER_EXT_LENGTH_OFFSET = 8;
  static final int PAYLOAD_LENGTH_OFFSET = 10;
  static final int CRC_OFFSET = 14;

  private FrameFormat() {}
}
