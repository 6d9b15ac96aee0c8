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
    long started = System.nanoTime();
    for (int cycle = 0; cycle <= cycles; cycle++) {
      if (cycle > 0 && random.nextInt(4) == 0) {
        ChildServer early = ChildServer.start(data, log, Map.of(), null);
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
        try (Load load = new Load(lanes, () -> target.client(TIMEOUT), history, TIMEOUT, 0)) {
          ChildServer.sleep(100 + random.nextInt(600));
          target.kill();
        }
      } finally {
        child.close();
      }
    }
    assertThat(FileTree.of(root, data)).as("files outside the data dir").isEqualTo(outside);
    Figures.report(
        "kill-9",
        String.format(
            "cycles=%d (+%d kills during recovery), ops=%d, acked=%d, failed=%d,"
                + " indeterminate=%d, lost=0, hash-checks=%d, seed=%d, %.0f s",
            cycles,
            recoveryKills,
            history.ops().size(),
            history.count(Outcome.Status.OK),
            history.count(Outcome.Status.FAILED),
            history.count(Outcome.Status.INDETERMINATE),
            hashChecks,
            seed,
            (System.nanoTime() - started) / 1e9));
  }

  private static ChildServer startReady(Path data, Path log) {
    ChildServer child = ChildServer.start(data, log, Map.of(), null);
    if (!child.awaitReady(Duration.ofSeconds(60))) {
      child.close();
      throw new AssertionError("the server did not come back after a kill:\n" + child.tail());
    }
    return child;
  }
}
