package io.rstmdb.testkit.wal;

import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.testkit.contract.WalPortContract;
import io.rstmdb.wal.FileIo;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The segment-file WAL honours the whole contract, crash and storage failures included. */
class SegmentedWalContractTest extends WalPortContract {
  @TempDir Path root;

  private int logs;
  private final Map<WalPort, Opened> opened = new IdentityHashMap<>();

  private record Opened(Path dir, long segmentSize, FaultInjectingFileIo io) {}

  private WalPort open(Path dir, long segmentSize) {
    FaultInjectingFileIo io = new FaultInjectingFileIo(FileIo.system());
    WalPort wal =
        SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(segmentSize).withIo(io));
    opened.put(wal, new Opened(dir, segmentSize, io));
    return wal;
  }

  @Override
  protected WalPort create() {
    return open(root.resolve("wal-" + logs++), WalOptions.DEFAULT_SEGMENT_SIZE_BYTES);
  }

  @Override
  protected WalPort createWithSmallUnits() {
    return open(root.resolve("wal-" + logs++), 512);
  }

  @Override
  protected WalPort reopen(WalPort wal) {
    Opened o = opened.get(wal);
    wal.close();
    return open(o.dir(), o.segmentSize());
  }

  /**
   * Power loss in the middle of a write: the disk takes only the first 50 bytes of the next write
   * (so an atomic append is torn on disk), then the storage fails under the running log (it stops
   * without acknowledging anything more), half a record of garbage is left at the end of the newest
   * segment, and the directory is opened again.
   */
  @Override
  protected WalPort simulateCrash(WalPort wal) {
    Opened o = opened.get(wal);
    o.io().diskFullAfter(50);
    WalEntry entry = entry(-1);
    wal.append(List.of(entry, entry, entry)).durable().handle((ok, error) -> null).join();
    o.io().failEverything();
    wal.close();
    try (Stream<Path> files = Files.list(o.dir())) {
      Path newest =
          files
              .filter(p -> p.toString().endsWith(".wal"))
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
      byte[] torn = new byte[37];
      torn[3] = 60; // a plausible length, then a header and payload cut short
      torn[20] = '{';
      Files.write(newest, torn, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return open(o.dir(), o.segmentSize());
  }

  @Override
  protected void breakStorage(WalPort wal) {
    opened.get(wal).io().failWritesAndSyncs();
  }
}
