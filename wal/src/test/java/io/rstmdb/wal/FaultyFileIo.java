package io.rstmdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileIo} that fails on command: the Nth write or file fsync from now, or every write
 * after some bytes as if the disk filled up. Counts operations so tests can aim precisely.
 */
final class FaultyFileIo extends ForwardingFileIo {
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger forces = new AtomicInteger();
  private volatile int failWriteAt = -1;
  private volatile int failForceAt = -1;
  private volatile long diskRoom = Long.MAX_VALUE;
  private volatile long forceDelayMillis;

  FaultyFileIo() {
    super(FileIo.system());
  }

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
  protected WalFile wrap(WalFile file) {
    return new Faulty(file);
  }

  private final class Faulty extends ForwardingWalFile {
    Faulty(WalFile file) {
      super(file);
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
        return super.write(sources);
      }
      // Write what fits of the first buffer, then report the disk full.
      if (room > 0) {
        ByteBuffer part = sources[0].duplicate();
        part.limit(part.position() + (int) Math.min(room, part.remaining()));
        super.write(new ByteBuffer[] {part});
        diskRoom = 0;
      }
      throw new IOException("No space left on device");
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
      super.force();
    }
  }
}
