package io.rstmdb.testkit.fault;

import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.snapshot.FileSnapshotStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link SnapshotPort} that passes everything to a file-backed store and lets a test damage the
 * files of committed snapshots behind its back, to prove that recovery detects the damage and falls
 * back (or refuses to start) instead of loading bad state.
 *
 * <pre>{@code
 * CorruptingSnapshotStore snapshots =
 *     CorruptingSnapshotStore.wrap(FileSnapshotStore.open(dir, Failpoints.NONE));
 * ... run the engine until it has written a STATE snapshot ...
 * snapshots.flipByte(snapshots.list().get(0).id(), 100);
 * }</pre>
 */
public final class CorruptingSnapshotStore implements SnapshotPort {
  private final SnapshotPort delegate;
  private final Function<String, Path> fileOfId;

  /**
   * Wraps any file-backed store.
   *
   * @param fileOfId where the file of a snapshot id lives
   */
  public CorruptingSnapshotStore(SnapshotPort delegate, Function<String, Path> fileOfId) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.fileOfId = Objects.requireNonNull(fileOfId, "fileOfId");
  }

  /** Wraps the built-in file store. */
  public static CorruptingSnapshotStore wrap(FileSnapshotStore store) {
    return new CorruptingSnapshotStore(store, store::pathOf);
  }

  /** The file holding snapshot {@code snapshotId}. */
  public Path fileOf(String snapshotId) {
    return fileOfId.apply(snapshotId);
  }

  /** Inverts the byte at {@code position} of the snapshot's file. */
  public void flipByte(String snapshotId, long position) {
    FileDamage.flipByte(fileOf(snapshotId), position);
  }

  /** Inverts the byte in the middle of the snapshot's file. */
  public void flipMiddleByte(String snapshotId) {
    FileDamage.flipMiddleByte(fileOf(snapshotId));
  }

  /** Cuts the snapshot's file to {@code newSize} bytes. */
  public void truncate(String snapshotId, long newSize) {
    FileDamage.truncate(fileOf(snapshotId), newSize);
  }

  /** Removes the snapshot's file while it stays listed. */
  public void deleteFile(String snapshotId) {
    FileDamage.delete(fileOf(snapshotId));
  }

  @Override
  public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
    return delegate.begin(kind, walOffset, createdAt);
  }

  @Override
  public List<SnapshotInfo> list() {
    return delegate.list();
  }

  @Override
  public SnapshotReader open(String snapshotId) {
    return delegate.open(snapshotId);
  }

  @Override
  public void delete(String snapshotId) {
    delegate.delete(snapshotId);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
