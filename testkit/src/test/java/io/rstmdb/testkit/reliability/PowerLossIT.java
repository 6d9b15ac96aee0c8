package io.rstmdb.testkit.reliability;

import io.rstmdb.protocol.client.RcpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3: simulated power loss through the WAL's file seam. Writers load an in-process server;
 * at a random moment the disk stops, the server dies without flushing, and everything not fsynced
 * is dropped or torn (including creates and renames whose directory was not synced); then the
 * server recovers and the history is checked. Several cuts per seed, on the same files.
 */
class PowerLossIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path root;

  @Test
  void powerLossNeverLosesAnAcknowledgedWrite() {
    int seeds = Figures.size("powerSeeds", 6);
    long base = Long.getLong("rstmdb.reliability.seed", System.nanoTime());
    long acked = 0;
    long cuts = 0;
    for (int s = 0; s < seeds; s++) {
      long seed = base + s;
      Random random = new Random(seed);
      Path data = root.resolve("seed-" + s);
      History history = new History();
      Checker checker = new Checker(TIMEOUT, seed);
      List<Lane> lanes = Load.lanes("p", 3, seed);
      // Small segments so cuts also land on rotations.
      UnaryOperator<io.rstmdb.server.config.ServerConfig> config =
          c -> c.withStorage(c.storage().withWalSegmentSizeMb(1));
      int padding = random.nextBoolean() ? 20_000 : 0;
      for (int cut = 0; cut < 3; cut++) {
        PowerLossFileIo io = new PowerLossFileIo(seed * 7 + cut);
        InProcessServer server;
        try {
          server = InProcessServer.start(data, io, config);
        } catch (RuntimeException e) {
          throw new AssertionError("seed " + seed + ": recovery after a power cut failed", e);
        }
        try (RcpClient control = server.client(TIMEOUT)) {
          if (cut == 0) {
            Reply.call(control, "PUT_MACHINE", Writer.machineParams(), TIMEOUT)
                .orFail("PUT_MACHINE");
          }
          try {
            checker.check(control, history);
          } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ", after cut " + cut + ": " + e.getMessage());
          }
        }
        try (Load load = new Load(lanes, () -> server.client(TIMEOUT), history, TIMEOUT, padding)) {
          ChildServer.sleep(50 + random.nextInt(300));
          io.cut();
          server.crash();
        }
        io.loseUnsynced();
        cuts++;
      }
      InProcessServer last = InProcessServer.start(data, io.rstmdb.wal.FileIo.system(), config);
      try (RcpClient control = last.client(TIMEOUT)) {
        checker.check(control, history);
      } finally {
        last.close();
      }
      acked += history.count(Outcome.Status.OK);
    }
    Figures.report(
        "power-loss",
        String.format(
            "seeds=%d, cuts=%d, acked=%d, lost acks=0, base seed=%d", seeds, cuts, acked, base));
  }
}
