package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.protocol.client.RcpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1: the server runs as a child JVM; writer connections load it and it is killed with
 * SIGKILL at random moments (sometimes again while it recovers), restarted and checked, cycle after
 * cycle, against the whole history.
 */
class KillUnderLoadIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Small segments, so the compactions that run in some cycles really delete WAL files. */
  private static final Map<String, String> ENV = Map.of("RSTMDB_WAL_SEGMENT_SIZE_MB", "1");

  @TempDir Path root;
  @TempDir Path logs;

  @Test
  void killNineUnderLoadNeverLosesAnAcknowledgedWrite() throws IOException {
    int cycles = Figures.size("killCycles", 20);
    long seed = Long.getLong("rstmdb.reliability.seed", System.nanoTime());
    Random random = new Random(seed);
    Path data = root.resolve("data");
    FileTree outside = FileTree.of(root, data);
    History history = new History();
    Checker checker = new Checker(TIMEOUT, seed);
    List<Lane> lanes = Load.lanes("w", 4, seed);
    Path log = Files.createFile(logs.resolve("child.log"));
    int recoveryKills = 0;
    int hashChecks = 0;
    int cyclesWithCompaction = 0;
    long oldestRetained = 0;
    long started = System.nanoTime();
    for (int cycle = 0; cycle <= cycles; cycle++) {
      if (cycle > 0 && random.nextInt(4) == 0) {
        ChildServer early = ChildServer.start(data, log, ENV, null);
        ChildServer.sleep(random.nextInt(600));
        early.kill();
        recoveryKills++;
      }
      ChildServer child = startReady(data, log);
      try {
        try (RcpClient control = child.client(TIMEOUT)) {
          if (cycle == 0) {
            Reply.call(control, "PUT_MACHINE", Writer.machineParams(), TIMEOUT)
                .orFail("PUT_MACHINE");
          }
          checker.check(control, history);
          if (cycle == cycles) {
            oldestRetained =
                Reply.call(
                        control,
                        "WAL_READ",
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                            .objectNode()
                            .put("from_offset", 0)
                            .put("limit", 1),
                        TIMEOUT)
                    .orFail("WAL_READ")
                    .path("records")
                    .path(0)
                    .path("offset")
                    .asLong();
          }
          if (cycle % 5 == 4 || cycle == cycles) {
            String first = StateHash.of(control, TIMEOUT);
            child.kill();
            ChildServer again = startReady(data, log);
            try (RcpClient second = again.client(TIMEOUT)) {
              assertThat(StateHash.of(second, TIMEOUT))
                  .as("state hash after recovering twice from the same files")
                  .isEqualTo(first);
            }
            hashChecks++;
            child = again;
          }
        }
        if (cycle == cycles) {
          break;
        }
        ChildServer target = child;
        boolean compacting = random.nextInt(3) == 0;
        try (Load load = new Load(lanes, () -> target.client(TIMEOUT), history, TIMEOUT, 1_500);
            Compactions compactions = compacting ? new Compactions(target.client(TIMEOUT)) : null) {
          ChildServer.sleep(100 + random.nextInt(600));
          target.kill();
        }
        cyclesWithCompaction += compacting ? 1 : 0;
      } finally {
        child.close();
      }
    }
    assertThat(FileTree.of(root, data)).as("files outside the data dir").isEqualTo(outside);
    Figures.report(
        "kill-9",
        String.format(
            "cycles=%d (+%d kills during recovery), ops=%d, acked=%d, failed=%d,"
                + " indeterminate=%d, lost=0, hash-checks=%d, cycles with COMPACT running=%d"
                + " (oldest WAL offset kept at the end: %d),"
                + " seed=%d, %.0f s",
            cycles,
            recoveryKills,
            history.ops().size(),
            history.count(Outcome.Status.OK),
            history.count(Outcome.Status.FAILED),
            history.count(Outcome.Status.INDETERMINATE),
            hashChecks,
            cyclesWithCompaction,
            oldestRetained,
            seed,
            (System.nanoTime() - started) / 1e9));
  }

  /** COMPACT requests in a loop on their own connection, so kills also land mid-compaction. */
  private static final class Compactions implements AutoCloseable {
    private final RcpClient client;
    private final Thread thread;

    Compactions(RcpClient client) {
      this.client = client;
      this.thread =
          new Thread(
              () -> {
                boolean force = true;
                while (client.isOpen() && !Thread.currentThread().isInterrupted()) {
                  Reply.call(
                      client,
                      "COMPACT",
                      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                          .objectNode()
                          .put("force_snapshot", force),
                      TIMEOUT);
                  force = !force;
                  ChildServer.sleep(50);
                }
              },
              "compactions");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
    }
  }

  private static ChildServer startReady(Path data, Path log) {
    ChildServer child = ChildServer.start(data, log, ENV, null);
    if (!child.awaitReady(Duration.ofSeconds(60))) {
      child.close();
      throw new AssertionError("the server did not come back after a kill:\n" + child.tail());
    }
    return child;
  }
}
