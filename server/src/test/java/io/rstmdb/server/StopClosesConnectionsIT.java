package io.rstmdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.it.RawConnection;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the server must close every client connection, even when the connections' event loop is
 * busy at that moment. Netty 4.2's loop, told to shut down while it runs tasks, can terminate
 * without closing its channels: the client then stays connected to nothing (a watcher waits
 * forever) and the frames queued for it are never released. Found as a Netty LEAK report in CI.
 */
class StopClosesConnectionsIT {
  private static final long BUSY_MILLIS = 400;

  @TempDir Path dir;

  @Test
  void closeClosesAConnectionWhoseEventLoopIsBusy() throws Exception {
    assertStopCloses(RstmdbServer::close);
  }

  @Test
  void haltClosesItToo() throws Exception {
    assertStopCloses(RstmdbServer::halt);
  }

  private void assertStopCloses(Consumer<RstmdbServer> stop) throws Exception {
    ServerConfig config = ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0");
    // The test owns the adapters, so that halt(), which abandons them, leaves nothing open.
    try (SegmentedWal wal = SegmentedWal.open(config.storage().walDir(), WalOptions.defaults());
        FileSnapshotStore snapshots =
            FileSnapshotStore.open(config.storage().snapshotDir(), Failpoints.NONE)) {
      RstmdbServer server = RstmdbServer.builder(config).wal(wal).snapshots(snapshots).start();
      try (RawConnection client = new RawConnection(server.address().getPort())) {
        client.sendJson("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}");
        assertThat(client.readFrame().path("id").asText())
            .as("PING answered: the connection is established")
            .isEqualTo("1");

        CountDownLatch busy = new CountDownLatch(1);
        for (EventExecutor loop : server.workerGroup()) {
          loop.execute(
              () -> {
                busy.countDown();
                sleep(BUSY_MILLIS);
              });
        }
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        stop.accept(server);

        client.timeout(3_000);
        assertThat(client.closedByServer())
            .as("the client sees its connection closed once the server has stopped")
            .isTrue();
      } finally {
        server.close();
        server.database().close();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
