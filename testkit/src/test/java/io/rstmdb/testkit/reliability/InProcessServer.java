package io.rstmdb.testkit.reliability;

import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.FileIo;
import io.rstmdb.wal.FsyncPolicy;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A server in this JVM on real files whose WAL file layer the test chooses, so storage faults can
 * be injected and a crash simulated (sockets stopped, nothing flushed, old adapters abandoned).
 */
final class InProcessServer implements AutoCloseable {
  private final ServerConfig config;
  private SegmentedWal wal;
  private FileSnapshotStore snapshots;
  private RstmdbServer server;

  private InProcessServer(ServerConfig config) {
    this.config = config;
  }

  /** Recovers from {@code dataDir} and starts with the WAL going through {@code io}. */
  static InProcessServer start(Path dataDir, FileIo io, UnaryOperator<ServerConfig> customize) {
    ServerConfig config =
        customize.apply(ServerConfig.defaults().withDataDir(dataDir).withBind("127.0.0.1:0"));
    InProcessServer s = new InProcessServer(config);
    s.wal =
        SegmentedWal.open(
            config.storage().walDir(),
            WalOptions.defaults()
                .withSegmentSizeBytes(config.storage().walSegmentSizeMb() * 1024 * 1024)
                .withFsyncPolicy(FsyncPolicy.parse(config.storage().fsyncPolicy()))
                .withIo(io));
    try {
      s.snapshots = FileSnapshotStore.open(config.storage().snapshotDir(), Failpoints.NONE);
      s.server = RstmdbServer.builder(config).wal(s.wal).snapshots(s.snapshots).start();
    } catch (RuntimeException e) {
      s.wal.close();
      if (s.snapshots != null) {
        s.snapshots.close();
      }
      throw e;
    }
    return s;
  }

  RstmdbServer server() {
    return server;
  }

  RcpClient client(Duration requestTimeout) {
    try {
      return RcpClient.connect(
              ClientOptions.of("127.0.0.1", server.address().getPort())
                  .withRequestTimeout(requestTimeout))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot connect: " + e, e);
    }
  }

  /** Stops as a dying process would: no graceful close; adapters abandoned without flushing. */
  void crash() {
    server.halt();
    quietly(() -> server.database().close());
    quietly(wal::close);
    quietly(snapshots::close);
  }

  @Override
  public void close() {
    server.close();
    quietly(wal::close);
    quietly(snapshots::close);
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // The storage under a crashed server refuses everything; that is the point.
    }
  }
}
