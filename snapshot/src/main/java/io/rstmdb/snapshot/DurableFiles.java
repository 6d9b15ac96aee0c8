package io.rstmdb.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way this module makes a file durable: write a temp name, fsync it, rename it over the
 * target, fsync the directory. A crash at any step leaves either the old file or the new one.
 */
final class DurableFiles {
  private DurableFiles() {}

  /** Replaces {@code target} with {@code content} atomically and durably, via {@code temp}. */
  static void replace(Path target, Path temp, byte[] content) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    moveDurably(temp, target);
  }

  /** Renames {@code from} to {@code to} atomically, then fsyncs the directory of {@code to}. */
  static void moveDurably(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(to.getParent());
  }

  /** Makes renames, creations and deletions in {@code dir} durable. */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
