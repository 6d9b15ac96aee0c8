package io.rstmdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
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
      try (Socket client = new Socket("127.0.0.1", server.address().getPort())) {
        client
            .getOutputStream()
            .write(frame("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}"));
        InputStream in = client.getInputStream();
        client.setSoTimeout(5_000);
        assertThat(in.readNBytes(18))
            .as("PING answered: the connection is established")
            .hasSize(18);

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

        assertThat(closedWithin(client, 3_000))
            .as("the client sees its connection closed once the server has stopped")
            .isTrue();
      } finally {
        server.close();
        server.database().close();
      }
    }
  }

  /** True when the peer closed (EOF or reset) within {@code millis}; data before it is skipped. */
  private static boolean closedWithin(Socket socket, int millis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    byte[] sink = new byte[4096];
    try {
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) left);
        if (socket.getInputStream().read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  private static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteBuffer.allocate(18 + payload.length)
        .putInt(0x52435058)
        .putShort((short) 1)
        .putShort((short) 1)
        .putShort((short) 0)
        .putInt(payload.length)
        .putInt((int) crc.getValue())
        .put(payload)
        .array();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
