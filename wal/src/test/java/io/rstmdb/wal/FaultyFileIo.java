package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileIo} that fails on command: the Nth write or file fsync from now, or every write
 * after some bytes as if the disk filled up. Counts operations so tests can aim precisely.
 */
final class FaultyFileIo implements FileIo {
  private final FileIo delegate = FileIo.system();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger forces = new AtomicInteger();
  private volatile int failWriteAt = -1;
  private volatile int failForceAt = -1;
  private volatile long diskRoom = Long.MAX_VALUE;
  private volatile long forceDelayMillis;

  /** The {@code n}th file write from now (1 = the next) throws. */
  void failWrite(int n) {
    failWriteAt = writes.get() + n;
  }

  /** The {@code n}th file fsync from now (1 = the next) throws. */
  void failForce(int n) {
    failForceAt = forces.get() + n;
  }

  /** Only {@code bytes} more bytes fit; a write crossing that writes part, then throws ENOSPC. */
  void diskFullAfter(long bytes) {
    diskRoom = bytes;
  }

  /** Every fsync takes at least this long, like a slow disk. */
  void slowForces(long millis) {
    forceDelayMillis = millis;
  }

  int forces() {
    return forces.get();
  }

  int writes() {
    return writes.get();
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
    return new Faulty(delegate.create(file));
  }

  @Override
  public WalFile open(Path file) throws IOException {
    return new Faulty(delegate.open(file));
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

  private final class Faulty implements WalFile {
    private final WalFile file;

    Faulty(WalFile file) {
      this.file = file;
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
      if (writes.incrementAndGet() == failWriteAt) {
        throw new IOException("injected write failure");
      }
      long room = diskRoom;
      long wanted = 0;
      for (ByteBuffer b : sources) {
        wanted += b.remaining();
      }
      if (wanted <= room) {
        if (room != Long.MAX_VALUE) {
          diskRoom = room - wanted;
        }
        return file.write(sources);
      }
      // Write what fits of the first buffer, then report the disk full.
      if (room > 0) {
        ByteBuffer part = sources[0].duplicate();
        part.limit(part.position() + (int) Math.min(room, part.remaining()));
        file.write(new ByteBuffer[] {part});
        diskRoom = 0;
      }
      throw new IOException("No space left on device");
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
      if (forces.incrementAndGet() == failForceAt) {
        throw new IOException("injected fsync failure");
      }
      long delay = forceDelayMillis;
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      file.force();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
