package io.rstmdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam through which the WAL does all of its file work, so tests can inject faults (fail the
 * Nth write or fsync, run out of space) and count operations without touching the WAL's logic.
 */
public interface FileIo {

  /** The real file system (NIO {@link java.nio.channels.FileChannel}s). */
  static FileIo system() {
    return new NioFileIo();
  }

  /** Creates the directory and any missing parents. */
  void createDirectories(Path dir) throws IOException;

  /** Regular files directly inside {@code dir}, in no particular order. */
  List<Path> list(Path dir) throws IOException;

  /** Creates a new file for reading and writing; fails if it exists. */
  WalFile create(Path file) throws IOException;

  /** Opens an existing file for reading and writing, positioned at 0. */
  WalFile open(Path file) throws IOException;

  /** Renames {@code source} to {@code target} atomically, replacing nothing. */
  void moveAtomically(Path source, Path target) throws IOException;

  /** Deletes the file. */
  void delete(Path file) throws IOException;

  /** Makes creations, renames and deletions inside {@code dir} durable. */
  void syncDirectory(Path dir) throws IOException;
}
