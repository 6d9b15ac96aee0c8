package io.rstmdb.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Streams items straight into a temp file while hashing them, so a snapshot of any size costs
 * constant memory. {@link #commit} seals the file and hands it to the store, which makes it
 * visible.
 */
final class FileSnapshotWriter implements SnapshotWriter {
  private static final int BUFFER_BYTES = 1 << 16;

  /** What the store does with a sealed temp file: rename it into place and list it. */
  @FunctionalInterface
  interface Publisher {
    void publish(SnapshotInfo info, Path tempFile);
  }

  private enum State {
    WRITING,
    COMMITTED,
    ABANDONED
  }

  private final String id;
  private final SnapshotKind kind;
  private final long walOffset;
  private final long createdAt;
  private final Path tempFile;
  private final ItemCodec.Encoder encoder;
  private final Failpoints failpoints;
  private final Publisher publisher;
  private final FileChannel channel;
  private final MessageDigest digest = Sha256.newDigest();
  private final HashingOutputStream hashing;
  private final DataOutputStream out;
  private long itemCount;
  private State state = State.WRITING;

  FileSnapshotWriter(
      String id,
      SnapshotKind kind,
      long walOffset,
      long createdAt,
      Path tempFile,
      ItemCodec codec,
      Failpoints failpoints,
      Publisher publisher) {
    this.id = id;
    this.kind = kind;
    this.walOffset = walOffset;
    this.createdAt = createdAt;
    this.tempFile = tempFile;
    this.encoder = codec.newEncoder();
    this.failpoints = failpoints;
    this.publisher = publisher;
    try {
      this.channel =
          FileChannel.open(tempFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw failure("cannot create temp file " + tempFile, e);
    }
    this.hashing = new HashingOutputStream(Channels.newOutputStream(channel), digest);
    this.out = new DataOutputStream(new BufferedOutputStream(hashing, BUFFER_BYTES));
    try {
      out.write(SnapshotFileFormat.header(kind, walOffset, createdAt));
    } catch (IOException e) {
      abandon();
      throw failure("cannot write header to " + tempFile, e);
    }
  }

  @Override
  public synchronized void write(JsonNode item) {
    Objects.requireNonNull(item, "item");
    requireWriting();
    ItemCodec.Buffer bytes = encoder.encode(item);
    try {
      out.writeInt(bytes.size());
      out.write(bytes.bytes(), 0, bytes.size());
    } catch (IOException e) {
      abandon();
      throw failure("cannot write to " + tempFile, e);
    }
    itemCount++;
  }

  @Override
  public synchronized SnapshotInfo commit() {
    requireWriting();
    SnapshotInfo info;
    try {
      out.writeInt(SnapshotFileFormat.END_MARKER);
      out.writeLong(itemCount);
      out.flush();
      out.write(Sha256.peek(digest));
      out.flush();
      channel.force(true);
      channel.close();
      info =
          new SnapshotInfo(
              id,
              kind,
              walOffset,
              createdAt,
              hashing.count(),
              Sha256.hex(digest.digest()),
              itemCount);
    } catch (IOException e) {
      abandon();
      throw failure("cannot seal " + tempFile, e);
    }
    failpoints.hit("snapshot.after_temp_write");
    try {
      publisher.publish(info, tempFile);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
    state = State.COMMITTED;
    return info;
  }

  @Override
  public synchronized void close() {
    if (state == State.WRITING) {
      abandon();
    }
  }

  private void requireWriting() {
    if (state != State.WRITING) {
      throw new IllegalStateException(
          "snapshot writer " + id + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** Drops the temp file: an uncommitted snapshot must leave no trace. */
  private void abandon() {
    state = State.ABANDONED;
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing only releases the descriptor; the file is deleted next.
    }
    try {
      Files.deleteIfExists(tempFile);
    } catch (IOException ignored) {
      // Left-over temp files are removed the next time the store is opened.
    }
  }

  private RstmdbException failure(String what, IOException cause) {
    return new RstmdbException(
        ErrorCode.INTERNAL_ERROR,
        "snapshot " + id + ": " + what + ": " + IoReason.of(cause),
        cause);
  }
}
