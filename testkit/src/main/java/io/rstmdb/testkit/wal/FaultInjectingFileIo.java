package io.rstmdb.testkit.wal;

import io.rstmdb.wal.FileIo;
import io.rstmdb.wal.ForwardingFileIo;
import io.rstmdb.wal.ForwardingWalFile;
import io.rstmdb.wal.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileIo} for {@code io.rstmdb.wal.SegmentedWal} that fails on command, to test what
 * happens when the disk does: the Nth write or fsync from now fails, the disk fills up part-way
 * through a write, or (as after a power cut) every operation fails from now on.
 *
 * <pre>{@code
 * FaultInjectingFileIo io = new FaultInjectingFileIo(FileIo.system());
 * SegmentedWal wal = SegmentedWal.open(dir, WalOptions.defaults().withIo(io));
 * io.failForce(1);   // the next fsync fails: the WAL stops, appends fail with WAL_IO_ERROR
 * }</pre>
 */
public final class FaultInjectingFileIo extends ForwardingFileIo {
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger forces = new AtomicInteger();
  private volatile int failWriteAt = -1;
  private volatile int failForceAt = -1;
  private volatile long diskRoom = Long.MAX_VALUE;
  private volatile boolean dead;
  private volatile boolean readOnly;

  public FaultInjectingFileIo(FileIo delegate) {
    super(delegate);
  }

  /** The {@code n}th file write from now (1 = the next) throws. */
  public void failWrite(int n) {
    failWriteAt = writes.get() + n;
  }

  /** The {@code n}th file fsync from now (1 = the next) throws. */
  public void failForce(int n) {
    failForceAt = forces.get() + n;
  }

  /** Only {@code bytes} more bytes fit; a write crossing that writes part, then fails (ENOSPC). */
  public void diskFullAfter(long bytes) {
    diskRoom = bytes;
  }

  /** Every write and fsync from now on fails; reads still work (a disk gone read-only). */
  public void failWritesAndSyncs() {
    readOnly = true;
  }

  /** Every operation from now on fails, as if the machine lost power. */
  public void failEverything() {
    dead = true;
  }

  /** File writes attempted so far. */
  public int writes() {
    return writes.get();
  }

  /** File fsyncs attempted so far (directory syncs not included). */
  public int forces() {
    return forces.get();
  }

  private void checkAlive() throws IOException {
    if (dead) {
      throw new IOException("injected failure: storage is gone");
    }
  }

  private void checkWritable() throws IOException {
    checkAlive();
    if (readOnly) {
      throw new IOException("injected failure: storage refuses writes");
    }
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    checkAlive();
    super.createDirectories(dir);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    checkAlive();
    return super.list(dir);
  }

  @Override
  public WalFile create(Path file) throws IOException {
    checkAlive();
    return super.create(file);
  }

  @Override
  public WalFile open(Path file) throws IOException {
    checkAlive();
    return super.open(file);
  }

  @Override
  public void moveAtomically(Path source, Path target) throws IOException {
    checkAlive();
    super.moveAtomically(source, target);
  }

  @Override
  public void delete(Path file) throws IOException {
    checkAlive();
    super.delete(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    checkAlive();
    super.syncDirectory(dir);
  }

  @Override
  protected WalFile wrap(WalFile file) {
    return new Faulty(file);
  }

  private final class Faulty extends ForwardingWalFile {
    Faulty(WalFile file) {
      super(file);
    }

    @Override
    public long size() throws IOException {
      checkAlive();
      return super.size();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      checkAlive();
      return super.read(dst, position);
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
      checkWritable();
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
        return super.write(sources);
      }
      if (room > 0) {
        ByteBuffer part = sources[0].duplicate();
        part.limit(part.position() + (int) Math.min(room, part.remaining()));
        super.write(new ByteBuffer[] {part});
        diskRoom = 0;
      }
      throw new IOException("No space left on device");
    }

    @Override
    public void position(long newPosition) throws IOException {
      checkAlive();
      super.position(newPosition);
    }

    @Override
    public void truncate(long size) throws IOException {
      checkAlive();
      super.truncate(size);
    }

    @Override
    public void force() throws IOException {
      checkWritable();
      if (forces.incrementAndGet() == failForceAt) {
        throw new IOException("injected fsync failure");
      }
      super.force();
    }
  }
}
