package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link FileIo} on the real file system. */
final class NioFileIo implements FileIo {

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> stream = Files.list(dir)) {
      stream.filter(Files::isRegularFile).forEach(files::add);
    }
    return files;
  }

  @Override
  public WalFile create(Path file) throws IOException {
    return new NioWalFile(
        file,
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE));
  }

  @Override
  public WalFile open(Path file) throws IOException {
    return new NioWalFile(
        file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  @Override
  public void moveAtomically(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void delete(Path file) throws IOException {
    Files.delete(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Readers get their own channel: an interrupted reader thread closes the channel it was using,
   * and that must never be the writer's (it would fail-stop the whole log). A read channel closed
   * by an interrupt is reopened for the next reader.
   */
  private static final class NioWalFile implements WalFile {
    private final Path path;
    private final FileChannel writeChannel;
    private volatile FileChannel readChannel;
    private volatile boolean closed;

    NioWalFile(Path path, FileChannel writeChannel) throws IOException {
      this.path = path;
      this.writeChannel = writeChannel;
      this.readChannel = FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    public long size() throws IOException {
      return writeChannel.size();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      FileChannel channel = readChannel;
      try {
        return channel.read(dst, position);
      } catch (ClosedByInterruptException e) {
        reopenReader(channel);
        throw e;
      }
    }

    private synchronized void reopenReader(FileChannel broken) throws IOException {
      if (!closed && readChannel == broken) {
        readChannel = FileChannel.open(path, StandardOpenOption.READ);
      }
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
      return writeChannel.write(sources);
    }

    @Override
    public void position(long newPosition) throws IOException {
      writeChannel.position(newPosition);
    }

    @Override
    public void truncate(long size) throws IOException {
      writeChannel.truncate(size);
    }

    @Override
    public void force() throws IOException {
      writeChannel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
      closed = true;
      try {
        writeChannel.close();
      } finally {
        readChannel.close();
      }
    }
  }
}
