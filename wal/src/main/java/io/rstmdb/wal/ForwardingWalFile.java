package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** A {@link WalFile} that passes every call to another one; see {@link ForwardingFileIo}. */
public abstract class ForwardingWalFile implements WalFile {
  private final WalFile file;

  protected ForwardingWalFile(WalFile file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public long write(ByteBuffer[] sources) throws IOException {
    return file.write(sources);
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
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
