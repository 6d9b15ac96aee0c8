package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.client.RcpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 2 (issue 5, crash safety): for every failpoint the server halts itself (exit 137, no
 * shutdown hooks) at that exact step while writers load it; a restart without failpoints must hold
 * every acknowledged write and nothing half-done, and must still compact and recover afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailpointCrashIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final AtomicInteger crashes = new AtomicInteger();
  private final AtomicInteger acked = new AtomicInteger();

  @AfterAll
  void figure() {
    Figures.report(
        "failpoints",
        "points crashed=" + crashes.get() + ", acked writes checked=" + acked.get() + ", lost=0");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "snapshot.before_temp_write",
        "snapshot.after_temp_write",
        "snapshot.after_rename",
        "snapshot.after_index_update",
        "compact.before_snapshot",
        "compact.after_snapshot",
        "compact.before_wal_delete",
        "flush_all.after_append",
        "wal.before_write",
        "wal.after_write",
        "wal.after_fsync",
        "wal.rotate.after_seal",
        "wal.segment.before_rename",
        "wal.segment.after_rename",
        "wal.delete.between_segments"
      })
  void crashAtFailpointKeepsEveryAcknowledgedWrite(
      String failpoint, @TempDir Path root, @TempDir Path logs) throws IOException {
    Path data = root.resolve("data");
    Path log = Files.createFile(logs.resolve("child.log"));
    // Segment deletion needs several 1 MiB segments behind a snapshot: write big events first.
    boolean deletion = failpoint.startsWith("wal.delete");
    boolean rotation =
        failpoint.startsWith("wal.rotate") || failpoint.startsWith("wal.segment") || deletion;
    Map<String, String> env =
        Map.of("RSTMDB_ALLOW_FLUSH_ALL", "true", "RSTMDB_WAL_SEGMENT_SIZE_MB", "1");
    int padding = rotation ? 24_000 : 0;
    History history = new History();
    List<Lane> lanes = Load.lanes("w", 3, failpoint.hashCode());
    boolean walPoint = failpoint.startsWith("wal.");

    if (walPoint) {
      // wal.* points fire on the first write (or segment creation): write some history unarmed.
      ChildServer plain = ready(ChildServer.start(data, log, env, null));
      try (RcpClient c = plain.client(TIMEOUT)) {
        Reply.call(c, "PUT_MACHINE", Writer.machineParams(), TIMEOUT).orFail("PUT_MACHINE");
        try (Load load = new Load(lanes, () -> plain.client(TIMEOUT), history, TIMEOUT, padding)) {
          ChildServer.sleep(deletion ? 2_500 : 400);
        }
      } finally {
        plain.kill();
      }
    }

    ChildServer armed = ChildServer.start(data, log, env, failpoint);
    int exit;
    if (armed.awaitReady(Duration.ofSeconds(60))) {
      if (!walPoint) {
        try (RcpClient c = armed.client(TIMEOUT)) {
          Reply.call(c, "PUT_MACHINE", Writer.machineParams(), TIMEOUT).orFail("PUT_MACHINE");
        }
      }
      try (Load load = new Load(lanes, () -> armed.client(TIMEOUT), history, TIMEOUT, padding)) {
        ChildServer.sleep(300);
        if (!walPoint || deletion) {
          trigger(armed, failpoint); // other wal.* points fire under the writers' own load
        }
        exit = armed.awaitExit(Duration.ofSeconds(60));
      }
    } else {
      exit = armed.awaitExit(Duration.ofSeconds(10)); // hit while starting up: also a crash
    }
    armed.close();
    assertThat(exit).as("exit code; log:\n" + armed.tail()).isEqualTo(137);
    assertThat(Files.readString(log)).contains("failpoint " + failpoint + " hit");
    crashes.incrementAndGet();

    ChildServer after = ready(ChildServer.start(data, log, env, null));
    try (RcpClient c = after.client(TIMEOUT)) {
      if (failpoint.startsWith("flush_all")) {
        checkFlushAllOrNothing(c, history);
      } else {
        new Checker(TIMEOUT, 1).check(c, history);
        // Leftovers of the interrupted step must not break the next compaction or recovery.
        Reply.call(c, "COMPACT", JSON.objectNode().put("force_snapshot", true), TIMEOUT)
            .orFail("COMPACT after recovery");
      }
    } catch (AssertionError e) {
      // The restarted server's log is the only record of why it answered as it did.
      throw new AssertionError(e.getMessage() + "\nrestarted server's log:\n" + after.tail(), e);
    } finally {
      after.kill();
    }
    if (!failpoint.startsWith("flush_all") && Figures.size("failpointRecheck", 0) > 0) {
      ChildServer again = ready(ChildServer.start(data, log, env, null));
      try (RcpClient c = again.client(TIMEOUT)) {
        new Checker(TIMEOUT, 2).check(c, history);
      } finally {
        again.kill();
      }
    }
    acked.addAndGet((int) history.count(Outcome.Status.OK));
  }

  /** Drives the code path of the failpoint until the process halts. */
  private static void trigger(ChildServer server, String failpoint) {
    RcpClient connected;
    try {
      connected = server.client(Duration.ofSeconds(30));
    } catch (AssertionError e) {
      return; // already halted by the writers' load; the exit code is checked next
    }
    try (RcpClient c = connected) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (server.alive() && c.isOpen() && System.nanoTime() < deadline) {
        if (failpoint.startsWith("snapshot.")) {
          JsonNode page =
              Reply.call(c, "LIST_INSTANCES", JSON.objectNode().put("limit", 1), TIMEOUT).result();
          if (page != null && page.path("instances").size() > 0) {
            String id = page.path("instances").get(0).path("id").asText();
            Reply.call(c, "SNAPSHOT_INSTANCE", JSON.objectNode().put("instance_id", id), TIMEOUT);
          }
          Reply.call(c, "COMPACT", JSON.objectNode().put("force_snapshot", true), TIMEOUT);
        } else if (failpoint.startsWith("compact.") || failpoint.startsWith("wal.delete")) {
          Reply.call(c, "COMPACT", JSON.objectNode().put("force_snapshot", true), TIMEOUT);
        } else if (failpoint.startsWith("flush_all")) {
          Reply.call(c, "FLUSH_ALL", null, TIMEOUT);
        }
        ChildServer.sleep(50);
      }
    }
  }

  /** An interrupted FLUSH_ALL either removed everything acknowledged before it or nothing. */
  private static void checkFlushAllOrNothing(RcpClient c, History history) {
    Model model = Model.fold(history);
    long acked = 0;
    long present = 0;
    for (Map.Entry<String, Model.Line> e : model.lines().entrySet()) {
      if (e.getValue().create() != null && e.getValue().create().status() == Outcome.Status.OK) {
        acked++;
        if (Reply.call(c, "GET_INSTANCE", JSON.objectNode().put("instance_id", e.getKey()), TIMEOUT)
            .ok()) {
          present++;
        }
      }
    }
    assertThat(acked).isPositive();
    assertThat(present)
        .as("acked instances present after an interrupted FLUSH_ALL")
        .isIn(0L, acked);
    if (present == 0) {
      assertThat(
              Reply.call(c, "LIST_INSTANCES", null, TIMEOUT)
                  .orFail("LIST_INSTANCES")
                  .path("total")
                  .asLong())
          .isZero();
    } else {
      new Checker(TIMEOUT, 3).check(c, history);
    }
  }

  private static ChildServer ready(ChildServer child) {
    if (!child.awaitReady(Duration.ofSeconds(60))) {
      child.close();
      throw new AssertionError("the server did not start:\n" + child.tail());
    }
    return child;
  }
}
