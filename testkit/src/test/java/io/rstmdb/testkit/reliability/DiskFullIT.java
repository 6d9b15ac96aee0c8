package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.wal.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6: a real full disk (a 32 MiB tmpfs). Writers fill it; clients get WAL_IO_ERROR, a
 * compaction on the full disk fails without a half-written snapshot becoming current, and once
 * space is freed a restarted server holds every acknowledged write and takes new ones. Skipped
 * (with the reason) where mounting is not allowed.
 */
class DiskFullIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path root;
  private Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", mount.toString());
    }
  }

  @Test
  void aFullDiskIsReportedAndWritesResumeOnceSpaceIsFreed() throws Exception {
    Path dir = Files.createDirectory(root.resolve("tmpfs"));
    int rc = run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", dir.toString());
    Assumptions.assumeTrue(
        rc == 0, "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); disk-full skipped");
    mount = dir;
    Path data = dir.resolve("data");
    Path filler = dir.resolve("filler");
    Files.write(filler, new byte[6 * 1024 * 1024]);
    History history = new History();
    InProcessServer server =
        InProcessServer.start(
            data, FileIo.system(), c -> c.withStorage(c.storage().withWalSegmentSizeMb(4)));
    String message;
    try {
      try (RcpClient c = server.client(TIMEOUT)) {
        Reply.call(c, "PUT_MACHINE", Writer.machineParams(), TIMEOUT).orFail("PUT_MACHINE");
      }
      try (Load load =
          new Load(
              Load.lanes("d", 3, 7), () -> server.client(TIMEOUT), history, TIMEOUT, 150_000)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline
            && history.ops().stream()
                .noneMatch(o -> "WAL_IO_ERROR".equals(o.outcome().errorCode()))) {
          ChildServer.sleep(50);
        }
      }
      assertThat(history.count(Outcome.Status.OK)).as("acked before the disk filled").isPositive();
      try (RcpClient c = server.client(TIMEOUT)) {
        Reply late = Reply.call(c, "CREATE_INSTANCE", create("late"), TIMEOUT);
        assertThat(late.errorCode()).isEqualTo("WAL_IO_ERROR");
        message = late.errorMessage();
        String before = manifest(data);
        Reply compact =
            Reply.call(
                c,
                "COMPACT",
                JsonNodeFactory.instance.objectNode().put("force_snapshot", true),
                TIMEOUT);
        assertThat(compact.ok()).as("COMPACT on a full disk: %s", compact).isFalse();
        assertThat(manifest(data))
            .as("the manifest (what is current) is unchanged after a failed compaction")
            .isEqualTo(before);
      }
    } finally {
      server.crash();
    }
    Files.delete(filler);
    InProcessServer again =
        InProcessServer.start(
            data, FileIo.system(), c -> c.withStorage(c.storage().withWalSegmentSizeMb(4)));
    try (RcpClient c = again.client(TIMEOUT)) {
      new Checker(TIMEOUT, 5).check(c, history);
      Reply resumed = Reply.call(c, "CREATE_INSTANCE", create("resumed"), TIMEOUT);
      assertThat(resumed.ok()).as("a write once space is free: %s", resumed).isTrue();
    } finally {
      again.close();
    }
    Figures.report(
        "disk-full",
        "32 MiB tmpfs, acked="
            + history.count(Outcome.Status.OK)
            + ", lost=0, client saw WAL_IO_ERROR \""
            + message
            + "\", writes resumed after freeing space and a restart");
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode create(String id) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("instance_id", id)
        .put("machine", Model.MACHINE)
        .put("version", 1);
  }

  private static String manifest(Path data) throws IOException {
    Path m = data.resolve("snapshots").resolve("snapshots.manifest");
    return Files.exists(m) ? Files.readString(m) : "(none)";
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
