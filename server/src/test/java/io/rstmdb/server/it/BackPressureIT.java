package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.port.ForwardingWal;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that pipelines far more requests than the server can answer (here: while the WAL holds
 * every write back) is no longer read once 1,024 of its requests are unanswered, and gets every
 * answer, in order, once the writes go through.
 */
class BackPressureIT {
  private static final int SENT = 5000;

  @TempDir Path dir;

  @Test
  void aConnectionWithTooManyUnansweredRequestsIsReadAgainOnlyAsTheyAreAnswered() throws Exception {
    HeldWal wal = new HeldWal(SegmentedWal.open(dir.resolve("wal"), WalOptions.defaults()));
    ServerConfig config = ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0");
    RstmdbServer server = RstmdbServer.builder(config).wal(wal).start();
    try (RawConnection c = new RawConnection(server.address().getPort())) {
      c.sendJson(
          request(
              "m",
              "PUT_MACHINE",
              "{\"machine\":\"m\",\"version\":1,\"definition\":" + ServerFixture.ORDER + "}"));
      assertThat(c.readFrame().get("status").asText()).isEqualTo("ok");

      int before = wal.appends.get();
      wal.hold();
      ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
      for (int i = 0; i < SENT; i++) {
        pipelined.write(
            RawConnection.frame(
                request(
                    "c" + i,
                    "CREATE_INSTANCE",
                    "{\"instance_id\":\"i-" + i + "\",\"machine\":\"m\",\"version\":1}")));
      }
      Thread sender =
          new Thread(
              () -> {
                try {
                  c.send(pipelined.toByteArray());
                } catch (Exception e) {
                  // The test fails on the missing answers below.
                }
              });
      sender.start();

      int reached = settled(wal.appends) - before;
      // Reading stopped at 1,024 unanswered; what one read had already brought in is still
      // handled, but nowhere near all of them.
      assertThat(reached).isBetween(1024, 2048);

      wal.release();
      for (int i = 0; i < SENT; i++) {
        JsonNode answer = c.readFrame();
        assertThat(answer.get("id").asText()).isEqualTo("c" + i);
        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("ok");
      }
      sender.join(10_000);
      assertThat(wal.appends.get() - before).isEqualTo(SENT);
    } finally {
      server.close();
    }
  }

  /** Waits until the counter has not moved for half a second, and returns it. */
  private static int settled(AtomicInteger counter) throws InterruptedException {
    int last = -1;
    for (int i = 0; i < 100; i++) {
      int now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("the append count never settled: " + counter.get());
  }

  private static String request(String id, String op, String params) {
    return "{\"type\":\"request\",\"id\":\""
        + id
        + "\",\"op\":\""
        + op
        + "\",\"params\":"
        + params
        + "}";
  }

  /** A real WAL whose durability can be held back, so requests stay unanswered. */
  private static final class HeldWal extends ForwardingWal {
    final AtomicInteger appends = new AtomicInteger();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    HeldWal(WalPort delegate) {
      super(delegate);
    }

    void hold() {
      gate = new CompletableFuture<>();
    }

    void release() {
      gate.complete(null);
    }

    @Override
    public Append append(List<WalEntry> entries) {
      appends.incrementAndGet();
      Append a = super.append(entries);
      CompletableFuture<Void> held = gate;
      return new Append(a.firstOffset(), held.thenCompose(v -> a.durable()));
    }
  }
}
