package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Wraps the configured {@link FileIo} so every successful write, read and fsync (file or directory)
 * is counted exactly where it happens.
 */
final class CountingFileIo implements FileIo {
  private final FileIo delegate;
  private final IoCounters counters;

  CountingFileIo(FileIo delegate, IoCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    delegate.createDirectories(dir);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public WalFile create(Path file) throws IOException {
    return new CountingFile(delegate.create(file));
  }

  @Override
  public WalFile open(Path file) throws IOException {
    return new CountingFile(delegate.open(file));
  }

  @Override
  public void moveAtomically(Path source, Path target) throws IOException {
    delegate.moveAtomically(source, target);
  }

  @Override
  public void delete(Path file) throws IOException {
    delegate.delete(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    delegate.syncDirectory(dir);
    counters.synced();
  }

  private final class CountingFile implements WalFile {
    private final WalFile file;

    CountingFile(WalFile file) {
      this.file = file;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      int n = file.read(dst, position);
      counters.read(n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
      long n = file.write(sources);
      counters.wrote(n);
      return n;
    }

    @Override
    public void position(long newPosition) throws IOException {
      file.position(newPosition);
    }

    @Override
    public void truncate(long size) throws IOException {
      file.truncate(size);
    }

    @Override
    public void force() throws IOException {
      file.force();
      counters.synced();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
