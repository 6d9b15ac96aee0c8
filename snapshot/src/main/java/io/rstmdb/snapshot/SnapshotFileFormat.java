package io.rstmdb.snapshot;

import io.rstmdb.core.port.SnapshotKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The byte layout of one snapshot file, in one place (documented in docs/snapshot-format.md).
 *
 * <pre>
 * header  (32 bytes)  magic "RSTMSNAP" | u16 version | u8 kind | u8 0 | i64 walOffset
 *                     | i64 createdAt | u32 0
 * items   (n times)   u32 length (0..2^31-1) | length bytes of compact UTF-8 JSON
 * footer  (44 bytes)  u32 0xFFFFFFFF | i64 itemCount | 32 bytes SHA-256 of every byte before them
 * </pre>
 *
 * <p>All integers are big-endian. The item count sits in the footer, not the header, because the
 * writer streams items to disk and only knows the count at the end; rewriting the header would
 * force a second pass over the file to hash it.
 */
final class SnapshotFileFormat {
  static final byte[] MAGIC = "RSTMSNAP".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER_BYTES = 32;
  static final int SHA256_BYTES = 32;
  static final int FOOTER_BYTES = 4 + 8 + SHA256_BYTES;

  /** Written where an item length would be; no item can be this long. */
  static final int END_MARKER = 0xFFFFFFFF;

  static final String FILE_PREFIX = "snap-";
  static final String FILE_SUFFIX = ".snap";
  static final String TEMP_SUFFIX = ".tmp";

  /** Snapshot ids are {@code snap-} plus a random UUID, so they are safe as file names. */
  private static final Pattern ID =
      Pattern.compile("snap-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private SnapshotFileFormat() {}

  static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static String fileName(String id) {
    return id + FILE_SUFFIX;
  }

  /** The snapshot id a committed file name stands for, if it is one. */
  static Optional<String> idOfFileName(String fileName) {
    if (!fileName.endsWith(FILE_SUFFIX)) {
      return Optional.empty();
    }
    String id = fileName.substring(0, fileName.length() - FILE_SUFFIX.length());
    return isValidId(id) ? Optional.of(id) : Optional.empty();
  }

  static int kindCode(SnapshotKind kind) {
    switch (kind) {
      case STATE:
        return 0;
      case INSTANCE:
        return 1;
      default:
        throw new IllegalArgumentException("unknown kind " + kind);
    }
  }

  static Optional<SnapshotKind> kindOf(int code) {
    switch (code) {
      case 0:
        return Optional.of(SnapshotKind.STATE);
      case 1:
        return Optional.of(SnapshotKind.INSTANCE);
      default:
        return Optional.empty();
    }
  }

  static byte[] header(SnapshotKind kind, long walOffset, long createdAt) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.put(MAGIC);
    b.putShort((short) VERSION);
    b.put((byte) kindCode(kind));
    b.put((byte) 0);
    b.putLong(walOffset);
    b.putLong(createdAt);
    b.putInt(0);
    return b.array();
  }

  /** A decoded header; {@code problem} is non-null when the bytes are not a valid header. */
  record Header(int version, int kindCode, long walOffset, long createdAt, String problem) {

    static Header decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      int version = Short.toUnsignedInt(b.getShort());
      int kind = Byte.toUnsignedInt(b.get());
      int pad = b.get();
      long walOffset = b.getLong();
      long createdAt = b.getLong();
      int reserved = b.getInt();
      String problem = null;
      if (!Arrays.equals(magic, MAGIC)) {
        problem = "bad magic (not a snapshot file)";
      } else if (version != VERSION) {
        problem = "unsupported format version " + version + " (this build reads " + VERSION + ")";
      } else if (kindOf(kind).isEmpty()) {
        problem = "unknown kind code " + kind + " in header";
      } else if (pad != 0 || reserved != 0) {
        problem = "reserved header bytes are not zero";
      }
      return new Header(version, kind, walOffset, createdAt, problem);
    }
  }
}
