package io.rstmdb.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open WAL file as {@link FileIo} hands it out. Writes go to the current position (one writer
 * thread); positional reads may run concurrently from any thread.
 */
public interface WalFile extends Closeable {

  /** Current size of the file in bytes. */
  long size() throws IOException;

  /** Reads into {@code dst} from {@code position}; returns bytes read or -1 at end of file. */
  int read(ByteBuffer dst, long position) throws IOException;

  /**
   * Gathering write at the current position, which advances. May write fewer bytes than remain; the
   * caller loops.
   */
  long write(ByteBuffer[] sources) throws IOException;

  /** Moves the write position. */
  void position(long newPosition) throws IOException;

  /** Cuts the file to {@code size} bytes. */
  void truncate(long size) throws IOException;

  /** Forces written data (not necessarily metadata unrelated to reading it) to the device. */
  void force() throws IOException;
}
