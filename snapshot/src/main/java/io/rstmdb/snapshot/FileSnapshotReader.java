package io.rstmdb.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotReader;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads one committed snapshot. {@link #open} checks the whole file against the manifest before any
 * item is handed out; the same open file is then streamed, so a file swapped in between cannot slip
 * past the check.
 */
final class FileSnapshotReader implements SnapshotReader {
  private static final int BUFFER_BYTES = 1 << 16;

  private final SnapshotInfo info;
  private final Path path;
  private final ItemCodec codec;
  private final FileChannel channel;
  private final DataInputStream in;
  private long itemsRead;

  /** File position of the next item's length field. */
  private long position = SnapshotFileFormat.HEADER_BYTES;

  private boolean atEnd;
  private boolean closed;

  private FileSnapshotReader(SnapshotInfo info, Path path, ItemCodec codec, FileChannel channel)
      throws IOException {
    this.info = info;
    this.path = path;
    this.codec = codec;
    this.channel = channel;
    channel.position(SnapshotFileFormat.HEADER_BYTES);
    this.in =
        new DataInputStream(
            new BufferedInputStream(Channels.newInputStream(channel), BUFFER_BYTES));
  }

  /**
   * Verifies the file of {@code info} and returns a reader positioned at the first item.
   *
   * @throws RstmdbException INTERNAL_ERROR naming the snapshot and file when anything is off
   */
  static FileSnapshotReader open(SnapshotInfo info, Path path, ItemCodec codec) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw damaged(info, path, "the file is missing");
    } catch (IOException e) {
      throw damaged(info, path, "it cannot be opened: " + IoReason.of(e), e);
    }
    try {
      verify(info, path, channel);
      return new FileSnapshotReader(info, path, codec, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw damaged(info, path, "reading it failed: " + IoReason.of(e), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void verify(SnapshotInfo info, Path path, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size != info.sizeBytes()) {
      throw damaged(
          info, path, "size is " + size + " bytes, the manifest says " + info.sizeBytes());
    }
    if (size < SnapshotFileFormat.HEADER_BYTES + SnapshotFileFormat.FOOTER_BYTES) {
      throw damaged(info, path, "only " + size + " bytes, too short for header and footer");
    }
    byte[] headerBytes = readFully(ch, 0, SnapshotFileFormat.HEADER_BYTES);
    SnapshotFileFormat.Header header = SnapshotFileFormat.Header.decode(headerBytes);
    if (header.problem() != null) {
      throw damaged(info, path, header.problem());
    }

    long hashedLength = size - SnapshotFileFormat.SHA256_BYTES;
    MessageDigest digest = Sha256.newDigest();
    digest.update(headerBytes);
    ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    long pos = SnapshotFileFormat.HEADER_BYTES;
    while (pos < hashedLength) {
      buf.clear();
      buf.limit((int) Math.min(BUFFER_BYTES, hashedLength - pos));
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new EOFException("file shrank while being read");
      }
      buf.flip();
      digest.update(buf);
      pos += n;
    }
    byte[] bodyHash = Sha256.peek(digest);
    byte[] storedBodyHash = readFully(ch, hashedLength, SnapshotFileFormat.SHA256_BYTES);
    digest.update(storedBodyHash);
    String fileHash = Sha256.hex(digest.digest());
    if (!fileHash.equals(info.checksum())) {
      throw damaged(
          info, path, "SHA-256 is " + fileHash + ", the manifest says " + info.checksum());
    }
    // Only reachable if the manifest itself recorded a bad file; kept so a file is self-checking.
    if (!Arrays.equals(bodyHash, storedBodyHash)) {
      throw damaged(info, path, "footer checksum does not match the content");
    }
    SnapshotKind kind = SnapshotFileFormat.kindOf(header.kindCode()).orElseThrow();
    if (kind != info.kind()
        || header.walOffset() != info.walOffset()
        || header.createdAt() != info.createdAt()) {
      throw damaged(
          info,
          path,
          "header ("
              + kind
              + ", wal_offset "
              + header.walOffset()
              + ", created_at "
              + header.createdAt()
              + ") disagrees with the manifest");
    }
    ByteBuffer footer =
        ByteBuffer.wrap(
            readFully(ch, size - SnapshotFileFormat.FOOTER_BYTES, SnapshotFileFormat.FOOTER_BYTES));
    int marker = footer.getInt();
    long count = footer.getLong();
    if (marker != SnapshotFileFormat.END_MARKER || count != info.itemCount()) {
      throw damaged(info, path, "footer (item count " + count + ") disagrees with the manifest");
    }
  }

  private static byte[] readFully(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (ch.read(buf, position + buf.position()) < 0) {
        throw new EOFException("unexpected end of file at byte " + (position + buf.position()));
      }
    }
    return buf.array();
  }

  @Override
  public SnapshotInfo info() {
    return info;
  }

  @Override
  public synchronized JsonNode next() {
    if (closed) {
      throw new IllegalStateException("snapshot reader " + info.id() + " is closed");
    }
    if (atEnd) {
      return null;
    }
    try {
      int length = in.readInt();
      if (length == SnapshotFileFormat.END_MARKER) {
        long count = in.readLong();
        if (count != itemsRead) {
          throw damaged(info, path, "footer counts " + count + " items, found " + itemsRead);
        }
        atEnd = true;
        return null;
      }
      // The file was verified at open; this guards against a file altered since then.
      long room = info.sizeBytes() - SnapshotFileFormat.FOOTER_BYTES - position - 4;
      if (length < 0 || length > room) {
        throw damaged(info, path, "item " + itemsRead + " has impossible length " + length);
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      position += 4L + length;
      itemsRead++;
      return codec.decode(bytes);
    } catch (IOException e) {
      throw damaged(info, path, "item " + itemsRead + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only descriptor: nothing to lose.
    }
  }

  static RstmdbException damaged(SnapshotInfo info, Path path, String why) {
    return damaged(info, path, why, null);
  }

  static RstmdbException damaged(SnapshotInfo info, Path path, String why, Throwable cause) {
    return new RstmdbException(
        ErrorCode.INTERNAL_ERROR,
        "snapshot " + info.id() + " (" + path + ") is damaged: " + why,
        java.util.Map.of(),
        cause);
  }
}
