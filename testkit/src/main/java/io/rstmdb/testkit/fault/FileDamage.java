package io.rstmdb.testkit.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ways to damage a file on purpose, for tests that prove damage is detected: flip a byte, cut the
 * file short (or tear a log's tail), remove it. Each acts on the file in place, as a bad disk, a
 * crash or an operator would. Works on any file: snapshot files, manifests, WAL segments.
 */
public final class FileDamage {
  private FileDamage() {}

  /**
   * Inverts every bit of the byte at {@code position}.
   *
   * @throws IllegalArgumentException when {@code position} is outside the file
   */
  public static void flipByte(Path file, long position) {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (position < 0 || position >= size) {
        throw new IllegalArgumentException(
            "position " + position + " is outside " + file + " (" + size + " bytes)");
      }
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, position);
      one.flip();
      byte flipped = (byte) ~one.get(0);
      ch.write(ByteBuffer.wrap(new byte[] {flipped}), position);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot damage " + file, e);
    }
  }

  /** Inverts the byte in the middle of the file. */
  public static void flipMiddleByte(Path file) {
    flipByte(file, size(file) / 2);
  }

  /**
   * Cuts the file to {@code newSize} bytes.
   *
   * @throws IllegalArgumentException unless {@code 0 <= newSize <} the current size
   */
  public static void truncate(Path file, long newSize) {
    long size = size(file);
    if (newSize < 0 || newSize >= size) {
      throw new IllegalArgumentException(
          "cannot truncate " + file + " (" + size + " bytes) to " + newSize + " bytes");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(newSize);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
  }

  /**
   * Cuts the last {@code bytes} bytes, as a crash in the middle of an append leaves a log file (a
   * torn tail).
   */
  public static void tearTail(Path file, long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("tear at least one byte, not " + bytes);
    }
    truncate(file, size(file) - bytes);
  }

  /** Removes the file, which must exist. */
  public static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }
}
