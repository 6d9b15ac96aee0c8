package io.rstmdb.testkit.reliability;

import io.rstmdb.wal.FileIo;
import io.rstmdb.wal.WalFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FileIo} that remembers what is durable so a power cut can be simulated: after {@link
 * #cut()} every operation fails, and {@link #loseUnsynced()} then leaves the files as a disk might
 * after losing power — bytes written after the last fsync of a file are dropped or torn at a random
 * point, and files created or renamed without a following directory fsync may vanish or revert.
 */
final class PowerLossFileIo implements FileIo {
  private final FileIo delegate = FileIo.system();
  private final Random random;
  private final Map<Path, Long> durableSize = new ConcurrentHashMap<>();
  private final Map<Path, Boolean> unsyncedCreate = new ConcurrentHashMap<>();

  /** rename target -> source, until the directory is synced. */
  private final Map<Path, Path> unsyncedRename = new ConcurrentHashMap<>();

  private volatile boolean cut;

  PowerLossFileIo(long seed) {
    this.random = new Random(seed);
  }

  /** From now on the machine is off: every operation fails. */
  void cut() {
    cut = true;
  }

  /**
   * What the disk holds after the cut; call once the old WAL is abandoned.
   *
   * @return a short description of the damage done
   */
  String loseUnsynced() {
    StringBuilder done = new StringBuilder();
    for (Map.Entry<Path, Path> e : unsyncedRename.entrySet()) {
      if (random.nextBoolean() && Files.exists(e.getKey())) {
        move(e.getKey(), e.getValue());
        durableSize.computeIfPresent(e.getKey(), (k, v) -> null);
        done.append(" reverted-rename:").append(e.getKey().getFileName());
      }
    }
    for (Path p : unsyncedCreate.keySet()) {
      if (random.nextBoolean() && Files.exists(p)) {
        remove(p);
        done.append(" lost-create:").append(p.getFileName());
      }
    }
    for (Map.Entry<Path, Long> e : durableSize.entrySet()) {
      Path p = e.getKey();
      long size = size(p);
      long durable = e.getValue();
      if (size > durable) {
        long keep = durable + (long) (random.nextDouble() * (size - durable + 1));
        truncate(p, Math.min(keep, size));
        done.append(" torn:").append(p.getFileName()).append('@').append(keep);
      }
    }
    return done.length() == 0 ? "nothing unsynced" : done.toString().trim();
  }

  private void check() throws IOException {
    if (cut) {
      throw new IOException("injected power loss");
    }
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    check();
    delegate.createDirectories(dir);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    check();
    return delegate.list(dir);
  }

  @Override
  public WalFile create(Path file) throws IOException {
    check();
    WalFile f = delegate.create(file);
    durableSize.put(file, 0L);
    unsyncedCreate.put(file, true);
    return new Tracked(file, f);
  }

  @Override
  public WalFile open(Path file) throws IOException {
    check();
    WalFile f = delegate.open(file);
    durableSize.putIfAbsent(file, f.size());
    return new Tracked(file, f);
  }

  @Override
  public void moveAtomically(Path source, Path target) throws IOException {
    check();
    delegate.moveAtomically(source, target);
    Long d = durableSize.remove(source);
    if (d != null) {
      durableSize.put(target, d);
    }
    if (unsyncedCreate.remove(source) != null) {
      unsyncedCreate.put(target, true);
    } else {
      unsyncedRename.put(target, source);
    }
  }

  @Override
  public void delete(Path file) throws IOException {
    check();
    delegate.delete(file);
    durableSize.remove(file);
    unsyncedCreate.remove(file);
    unsyncedRename.remove(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    check();
    delegate.syncDirectory(dir);
    unsyncedCreate.keySet().removeIf(p -> dir.equals(p.getParent()));
    unsyncedRename.keySet().removeIf(p -> dir.equals(p.getParent()));
  }

  private final class Tracked implements WalFile {
    private final Path path;
    private final WalFile file;

    Tracked(Path path, WalFile file) {
      this.path = path;
      this.file = file;
    }

    @Override
    public long size() throws IOException {
      check();
      return file.size();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      check();
      return file.read(dst, position);
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
      check();
      return file.write(sources);
    }

    @Override
    public void position(long newPosition) throws IOException {
      check();
      file.position(newPosition);
    }

    @Override
    public void truncate(long size) throws IOException {
      check();
      file.truncate(size);
      durableSize.computeIfPresent(path, (k, v) -> Math.min(v, size));
    }

    @Override
    public void force() throws IOException {
      check();
      file.force();
      durableSize.put(path, file.size());
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void truncate(Path p, long size) {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void remove(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
