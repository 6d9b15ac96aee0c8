package io.rstmdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@link FileIo} that passes every call to another one. Wrappers (counting, fault injection,
 * simulated power loss) extend it and override only what they change; files they open are wrapped
 * through {@link #wrap(WalFile)}.
 *
 * <pre>{@code
 * class SlowFsync extends ForwardingFileIo {
 *   SlowFsync(FileIo delegate) { super(delegate); }
 *   @Override protected WalFile wrap(WalFile file) {
 *     return new ForwardingWalFile(file) {
 *       @Override public void force() throws IOException { pause(); super.force(); }
 *     };
 *   }
 * }
 * }</pre>
 */
public abstract class ForwardingFileIo implements FileIo {
  private final FileIo delegate;

  protected ForwardingFileIo(FileIo delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The wrapped file layer. */
  protected final FileIo delegate() {
    return delegate;
  }

  /** Wraps each file this layer creates or opens; the default returns it unchanged. */
  protected WalFile wrap(WalFile file) {
    return file;
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
    return wrap(delegate.create(file));
  }

  @Override
  public WalFile open(Path file) throws IOException {
    return wrap(delegate.open(file));
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
  }
}
