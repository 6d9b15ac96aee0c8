package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.testkit.wal.FaultInjectingFileIo;
import io.rstmdb.wal.FileIo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5: the Nth write or fsync of the WAL fails under load. The server must fail-stop (no
 * request sent after the first WAL_IO_ERROR answer is acknowledged; later writes keep failing) and
 * after a restart every acknowledged write is there.
 */
class IoFailureIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path root;

  @Test
  void aFailedWriteOrFsyncStopsTheWalAndKeepsEveryAck() {
    int rounds = Figures.size("ioFailureRounds", 8);
    long base = Long.getLong("rstmdb.reliability.seed", System.nanoTime());
    long acked = 0;
    long failedAfterFault = 0;
    for (int round = 0; round < rounds; round++) {
      Random random = new Random(base + round);
      boolean fsync = round % 2 == 0;
      int nth = 1 + random.nextInt(40);
      Path data = root.resolve("round-" + round);
      History history = new History();
      FaultInjectingFileIo io = new FaultInjectingFileIo(FileIo.system());
      InProcessServer server = InProcessServer.start(data, io, c -> c);
      try (RcpClient c = server.client(TIMEOUT)) {
        Reply.call(c, "PUT_MACHINE", Writer.machineParams(), TIMEOUT).orFail("PUT_MACHINE");
      }
      if (fsync) {
        io.failForce(nth);
      } else {
        io.failWrite(nth);
      }
      List<Lane> lanes = Load.lanes("f", 3, base + round);
      try (Load load = new Load(lanes, () -> server.client(TIMEOUT), history, TIMEOUT, 0)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && firstFault(history) == Long.MAX_VALUE) {
          ChildServer.sleep(20);
        }
        ChildServer.sleep(200); // keep writing into the stopped WAL for a while
      }
      long fault = firstFault(history);
      assertThat(fault)
          .as("round %d: the injected fault surfaced", round)
          .isNotEqualTo(Long.MAX_VALUE);
      for (Op op : history.ops()) {
        if (op.invokedNanos() > fault) {
          assertThat(op.status())
              .as("round %d: %s sent after the first WAL_IO_ERROR", round, op)
              .isNotEqualTo(Outcome.Status.OK);
          failedAfterFault++;
        }
      }
      try (RcpClient c = server.client(TIMEOUT)) {
        Reply late =
            Reply.call(
                c,
                "CREATE_INSTANCE",
                JsonNodeFactory.instance
                    .objectNode()
                    .put("instance_id", "late")
                    .put("machine", Model.MACHINE)
                    .put("version", 1),
                TIMEOUT);
        assertThat(late.errorCode()).as("a write after the fault").isEqualTo("WAL_IO_ERROR");
      }
      server.crash();
      InProcessServer again = InProcessServer.start(data, FileIo.system(), c -> c);
      try (RcpClient c = again.client(TIMEOUT)) {
        new Checker(TIMEOUT, round).check(c, history);
        Writer writer = new Writer(new Lane("after", round), c, history, () -> true, TIMEOUT, 0);
        writer.step();
        assertThat(history.ops().get(history.ops().size() - 1).status())
            .as("writes resume after a restart")
            .isEqualTo(Outcome.Status.OK);
      } finally {
        again.close();
      }
      acked += history.count(Outcome.Status.OK);
    }
    Figures.report(
        "io-failure",
        String.format(
            "rounds=%d (failed fsync and failed write alternately, Nth call 1..40), acked=%d,"
                + " requests after the fault=%d, acked after the fault=0, lost=0",
            rounds, acked, failedAfterFault));
  }

  /** When the first WAL_IO_ERROR answer arrived (nanoTime), or MAX_VALUE. */
  private static long firstFault(History history) {
    return history.ops().stream()
        .filter(o -> "WAL_IO_ERROR".equals(o.outcome().errorCode()))
        .mapToLong(Op::completedNanos)
        .min()
        .orElse(Long.MAX_VALUE);
  }
}
