package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Wraps the configured {@link FileIo} so every successful write, read and fsync (file or directory)
 * is counted exactly where it happens.
 */
final class CountingFileIo extends ForwardingFileIo {
  private final IoCounters counters;

  CountingFileIo(FileIo delegate, IoCounters counters) {
    super(delegate);
    this.counters = counters;
  }

  @Override
  protected WalFile wrap(WalFile file) {
    return new CountingFile(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    super.syncDirectory(dir);
    counters.synced();
  }

  private final class CountingFile extends ForwardingWalFile {
    CountingFile(WalFile file) {
      super(file);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      int n = super.read(dst, position);
      counters.read(n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
      long n = super.write(sources);
      counters.wrote(n);
      return n;
    }

    @Override
    public void force() throws IOException {
      super.force();
      counters.synced();
    }
  }
}
