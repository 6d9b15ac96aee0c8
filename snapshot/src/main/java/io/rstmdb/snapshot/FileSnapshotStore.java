package io.rstmdb.snapshot;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps snapshots as files in one directory: {@code snap-<uuid>.snap} per snapshot and a {@code
 * snapshots.manifest} that lists the committed ones. The manifest is the single source of truth: a
 * snapshot file it does not list is garbage from an interrupted write and is removed when the store
 * is opened. Every file reaches its final name through write-temp, fsync, rename, fsync-dir.
 *
 * <p>Crash test hooks ({@link Failpoints#hit}): {@code snapshot.before_temp_write} (in {@link
 * #begin}, before the temp file exists), {@code snapshot.after_temp_write} (temp file sealed and
 * fsynced), {@code snapshot.after_rename} (file at its final name, not yet listed), {@code
 * snapshot.after_index_update} (manifest durably replaced; also hit by {@link #delete} before the
 * file is removed).
 *
 * <p>One store instance per directory: two instances would each rewrite the manifest from their own
 * view and lose each other's snapshots.
 *
 * <p>The format is described byte by byte in {@code docs/snapshot-format.md}.
 */
public final class FileSnapshotStore implements SnapshotPort {
  private static final Logger log = LoggerFactory.getLogger(FileSnapshotStore.class);

  private final Path directory;
  private final Failpoints failpoints;
  private final ManifestCodec manifestCodec;
  private final ItemCodec items;

  /** Serializes manifest changes so that commit order is manifest order. */
  private final ReentrantLock manifestLock = new ReentrantLock();

  private volatile Manifest manifest;
  private volatile boolean closed;

  /** Set when a manifest write failed halfway: the disk state is unknown until reopened. */
  private volatile String failStopReason;

  private FileSnapshotStore(
      Path directory, Failpoints failpoints, ItemCodec items, Manifest manifest) {
    this.directory = directory;
    this.failpoints = failpoints;
    this.items = items;
    this.manifestCodec = new ManifestCodec(items.mapper());
    this.manifest = manifest;
  }

  /**
   * Opens (creating if needed) the store in {@code snapshotDir}: loads the manifest and removes
   * what an interrupted write left behind (temp files, snapshot files the manifest does not list).
   *
   * @throws RstmdbException INTERNAL_ERROR naming the manifest file when it is damaged, or when it
   *     is missing although snapshot files exist (the store refuses to guess what was committed)
   */
  public static FileSnapshotStore open(Path snapshotDir, Failpoints failpoints) {
    Objects.requireNonNull(snapshotDir, "snapshotDir");
    Objects.requireNonNull(failpoints, "failpoints");
    Path dir = snapshotDir.toAbsolutePath();
    // One mapper for manifest and items: each mapper builds its own deserializers on first use,
    // which a cold start pays for again per mapper.
    ItemCodec items = new ItemCodec();
    ManifestCodec codec = new ManifestCodec(items.mapper());
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        // A directory entry is durable only once its parent is synced.
        DurableFiles.fsyncDirectory(dir.getParent());
      }
      Manifest manifest = loadOrCreateManifest(dir, codec);
      removeLeftovers(dir, manifest);
      return new FileSnapshotStore(dir, failpoints, items, manifest);
    } catch (IOException e) {
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR,
          "cannot open snapshot directory " + dir + ": " + IoReason.of(e),
          e);
    }
  }

  private static Manifest loadOrCreateManifest(Path dir, ManifestCodec codec) throws IOException {
    Path file = dir.resolve(ManifestCodec.FILE_NAME);
    if (Files.exists(file)) {
      return codec.decode(file, Files.readAllBytes(file));
    }
    List<Path> strays = snapshotFiles(dir);
    if (!strays.isEmpty()) {
      throw ManifestCodec.damaged(
          file,
          "it is missing, yet "
              + strays.size()
              + " snapshot files exist in "
              + dir
              + " (restore the manifest, or move the snapshot files away to start empty)");
    }
    // Written before any snapshot can exist, so a missing manifest later always means damage.
    Manifest empty = Manifest.empty();
    DurableFiles.replace(file, dir.resolve(ManifestCodec.TEMP_NAME), codec.encode(empty));
    return empty;
  }

  /**
   * Removes temp files, and snapshot files the manifest no longer lists that its newest STATE
   * snapshot supersedes (a delete interrupted after the manifest dropped them). An unlisted file
   * newer than that is kept: it is either a snapshot whose commit was interrupted after its rename,
   * or one committed under a newer manifest than this one, restored from a backup; deleting it
   * destroyed, in the second case, the only copy of data whose WAL compaction had already cut.
   */
  private static void removeLeftovers(Path dir, Manifest manifest) throws IOException {
    Set<String> listed =
        manifest.commitOrder().stream().map(SnapshotInfo::id).collect(Collectors.toSet());
    long newestState =
        manifest.commitOrder().stream()
            .filter(s -> s.kind() == SnapshotKind.STATE)
            .mapToLong(SnapshotInfo::walOffset)
            .max()
            .orElse(Long.MIN_VALUE);
    boolean removed = false;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p)) {
          continue;
        }
        boolean temp =
            name.endsWith(SnapshotFileFormat.TEMP_SUFFIX)
                && (name.startsWith(SnapshotFileFormat.FILE_PREFIX)
                    || name.equals(ManifestCodec.TEMP_NAME));
        boolean orphan =
            SnapshotFileFormat.idOfFileName(name).map(id -> !listed.contains(id)).orElse(false);
        if (temp || (orphan && coveredOffset(p) <= newestState)) {
          log.warn(
              temp
                  ? "removing {} left by an interrupted snapshot write"
                  : "removing {}: dropped from the manifest, and its newest snapshot is newer",
              p);
          Files.delete(p);
          removed = true;
        } else if (orphan) {
          log.warn(
              "keeping {}, which the manifest does not list: a snapshot whose commit was"
                  + " interrupted (it can go), or the manifest is older than this file (restored"
                  + " from a backup? put the current one back)",
              p);
        }
      }
    }
    if (removed) {
      DurableFiles.fsyncDirectory(dir);
    }
  }

  /** The wal_offset in a snapshot file's header; {@code Long.MAX_VALUE} when it cannot be read. */
  private static long coveredOffset(Path file) throws IOException {
    byte[] bytes = new byte[SnapshotFileFormat.HEADER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
        return Long.MAX_VALUE;
      }
    }
    SnapshotFileFormat.Header header = SnapshotFileFormat.Header.decode(bytes);
    return header.problem() == null ? header.walOffset() : Long.MAX_VALUE;
  }

  private static List<Path> snapshotFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (SnapshotFileFormat.idOfFileName(p.getFileName().toString()).isPresent()) {
          files.add(p);
        }
      }
    }
    return files;
  }

  @Override
  public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
    Objects.requireNonNull(kind, "kind");
    if (walOffset < 0) {
      throw new IllegalArgumentException("walOffset must be >= 0, was " + walOffset);
    }
    requireUsable();
    String id = SnapshotFileFormat.FILE_PREFIX + UUID.randomUUID();
    failpoints.hit("snapshot.before_temp_write");
    Path temp = directory.resolve(SnapshotFileFormat.fileName(id) + SnapshotFileFormat.TEMP_SUFFIX);
    return new FileSnapshotWriter(
        id, kind, walOffset, createdAt, temp, items, failpoints, this::publish);
  }

  /** Moves a sealed temp file to its final name, then lists it in the manifest. */
  private void publish(SnapshotInfo info, Path temp) {
    Path target = pathOf(info.id());
    manifestLock.lock();
    try {
      requireUsable();
      try {
        DurableFiles.moveDurably(temp, target);
      } catch (IOException e) {
        deleteQuietly(temp);
        deleteQuietly(target);
        throw new RstmdbException(
            ErrorCode.INTERNAL_ERROR,
            "snapshot " + info.id() + ": cannot move " + temp + " to " + target + ": " + e,
            e);
      }
      failpoints.hit("snapshot.after_rename");
      replaceManifest(manifest.with(info));
      failpoints.hit("snapshot.after_index_update");
    } finally {
      manifestLock.unlock();
    }
  }

  @Override
  public List<SnapshotInfo> list() {
    return manifest.newestFirst();
  }

  @Override
  public SnapshotReader open(String snapshotId) {
    SnapshotInfo info =
        manifest
            .find(snapshotId)
            .orElseThrow(
                () ->
                    new RstmdbException(
                        ErrorCode.NOT_FOUND, "snapshot " + snapshotId + " does not exist"));
    try {
      return FileSnapshotReader.open(info, pathOf(info.id()), items);
    } catch (RstmdbException e) {
      if (manifest.find(snapshotId).isEmpty()) {
        // Deleted while we were opening it: that is absence, not damage.
        throw new RstmdbException(
            ErrorCode.NOT_FOUND, "snapshot " + snapshotId + " does not exist (just deleted)", e);
      }
      throw e;
    }
  }

  @Override
  public void delete(String snapshotId) {
    manifestLock.lock();
    try {
      requireUsable();
      if (manifest.find(snapshotId).isEmpty()) {
        return;
      }
      replaceManifest(manifest.without(snapshotId));
      failpoints.hit("snapshot.after_index_update");
      Path file = pathOf(snapshotId);
      try {
        Files.deleteIfExists(file);
        DurableFiles.fsyncDirectory(directory);
      } catch (IOException e) {
        // Already unlisted, so the file is garbage that the next open removes.
        log.warn("cannot remove snapshot file {}: {}", file, e.toString());
      }
    } finally {
      manifestLock.unlock();
    }
  }

  /** Caller holds {@link #manifestLock}. */
  private void replaceManifest(Manifest next) {
    try {
      DurableFiles.replace(
          directory.resolve(ManifestCodec.FILE_NAME),
          directory.resolve(ManifestCodec.TEMP_NAME),
          manifestCodec.encode(next));
    } catch (IOException e) {
      // The rename may or may not have reached the disk: stop rather than guess.
      failStopReason = "writing the manifest failed: " + e;
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR,
          "snapshot store "
              + directory
              + " stopped: "
              + failStopReason
              + " (reopen the store to recover)",
          e);
    }
    manifest = next;
  }

  /**
   * Where the file of a snapshot with this id lives (whether or not it exists). For tools and tests
   * that inspect or damage files on purpose.
   *
   * @throws IllegalArgumentException when {@code snapshotId} is not a snapshot id
   */
  public Path pathOf(String snapshotId) {
    if (!SnapshotFileFormat.isValidId(snapshotId)) {
      throw new IllegalArgumentException("not a snapshot id: " + snapshotId);
    }
    return directory.resolve(SnapshotFileFormat.fileName(snapshotId));
  }

  /** The directory this store keeps its files in. */
  public Path directory() {
    return directory;
  }

  /** Releases the store. Readers opened before stay usable until they are closed. */
  @Override
  public void close() {
    closed = true;
  }

  private void requireUsable() {
    if (closed) {
      throw new IllegalStateException("snapshot store " + directory + " is closed");
    }
    String reason = failStopReason;
    if (reason != null) {
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR,
          "snapshot store " + directory + " stopped: " + reason + " (reopen the store to recover)");
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", p, e.toString());
    }
  }
}
