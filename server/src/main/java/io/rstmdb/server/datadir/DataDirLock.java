package io.rstmdb.server.datadir;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds {@code <data_dir>/rstmdb.lock} locked while a server uses the directory. A second server on
 * the same directory would give out the offsets the first one gives out, and the records of one of
 * them would be gone after the next restart; with the lock it refuses to start instead.
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock}), so it goes with the process
 * however the process ends, kill -9 included: a stale file never blocks a restart. The file stays
 * behind (deleting it would race with the next server taking it) and holds the owner's process id,
 * for the operator.
 */
public final class DataDirLock implements AutoCloseable {
  /** The lock file's name inside the data directory. */
  public static final String FILE_NAME = "rstmdb.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}, creating the directory and the file when missing.
   *
   * @throws RstmdbException INTERNAL_ERROR when another process (or this one) holds it, or the file
   *     cannot be opened
   */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String owner = readOwner(channel);
        channel.close();
        throw new RstmdbException(
            ErrorCode.INTERNAL_ERROR,
            "data directory "
                + dataDir.toAbsolutePath().normalize()
                + " is in use by another rstmdb server"
                + (owner.isEmpty() ? "" : " (process " + owner + ")")
                + "; it holds "
                + FILE_NAME);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR, "cannot lock the data directory: " + IoReason.of(e), e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      return null; // a server in this JVM has it
    }
  }

  private static String readOwner(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    channel.read(buf, 0);
    return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing with the first error
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
