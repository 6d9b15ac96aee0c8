package io.rstmdb.server.cds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The archive the package phase made from the jar's training mode, used by a real JVM. */
class CdsArchiveIT {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void theServerClassesOfATrainingRunComeFromTheArchive() throws Exception {
    Path archive = PackagedJar.archive();
    assertThat(archive).as("made by the package phase").isRegularFile();

    // -Xshare:on: the JVM refuses to start rather than run without the archive.
    PackagedJar.Finished run =
        PackagedJar.run(
            List.of(
                PackagedJar.java().toString(),
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-Xlog:class+load=info",
                "-jar",
                PackagedJar.jar().toString(),
                CdsTraining.FLAG,
                dir.toString()),
            Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("io.rstmdb.server.RstmdbServer source: shared objects file (top)")
        .contains("io.rstmdb.core.engine.Engine source: shared objects file (top)")
        .contains("io.rstmdb.wal.SegmentedWal source: shared objects file (top)")
        .contains("io.netty.bootstrap.ServerBootstrap source: shared objects file (top)");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  @Timeout(120)
  void theTrainingModeExitsZeroAndLeavesNoDataBehind() throws Exception {
    PackagedJar.Finished run =
        PackagedJar.run(
            List.of(
                PackagedJar.java().toString(),
                "-jar",
                PackagedJar.jar().toString(),
                CdsTraining.FLAG,
                dir.toString()),
            Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("recovered in").contains("snapshot snap-");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}
