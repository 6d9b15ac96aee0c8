package io.rstmdb.wal;

import io.rstmdb.core.port.WalPort;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Child process for {@link ProcessCrashIT}: appends groups of 1-3 entries forever (each entry
 * carries its own offset) with up to 32 appends in flight, and prints {@code ACK <first> <size>}
 * for every acknowledged append, until it is killed.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    FsyncPolicy policy = FsyncPolicy.parse(args[1]);
    TestEntries entries = new TestEntries();
    PrintStream out = System.out;
    Semaphore inFlight = new Semaphore(32);
    SegmentedWal wal =
        SegmentedWal.open(
            dir, WalOptions.defaults().withSegmentSizeBytes(4096).withFsyncPolicy(policy));
    out.println("READY " + wal.nextOffset());
    out.flush();
    for (int i = 0; ; i++) {
      int size = 1 + i % 3;
      inFlight.acquire();
      long first = wal.nextOffset(); // this is the only appender, so it is the offset it gets
      WalPort.Append a = wal.append(entries.group(first, size));
      a.durable()
          .whenComplete(
              (ok, err) -> {
                if (err == null) {
                  synchronized (out) {
                    out.println("ACK " + a.firstOffset() + " " + size);
                    out.flush();
                  }
                }
                inFlight.release();
              });
    }
  }
}
