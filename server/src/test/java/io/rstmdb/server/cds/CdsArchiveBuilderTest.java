package io.rstmdb.server.cds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the build is told when no archive can be made, with stand-ins for the JDK's launcher (the
 * real archive is covered by {@code CdsArchiveIT}).
 */
class CdsArchiveBuilderTest {

  @TempDir Path dir;

  private Path fakeJava(String body) throws IOException {
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    return java;
  }

  private Path jar() throws IOException {
    return Files.writeString(dir.resolve("server.jar"), "not really a jar");
  }

  private Path archive() throws IOException {
    Path out = Files.createDirectories(dir.resolve("target"));
    // An archive from an earlier build would belong to an older jar.
    return Files.writeString(out.resolve("server.jsa"), "old archive");
  }

  private static void assertOnlyTheLogIsLeft(Path archive) throws IOException {
    try (Stream<Path> files = Files.list(archive.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("training.log");
    }
  }

  @Test
  void aFailedTrainingRunSaysItsExitCodeAndLeavesNoArchive() throws Exception {
    Path archive = archive();
    Path log = archive.resolveSibling("training.log");
    CdsArchiveBuilder builder =
        new CdsArchiveBuilder(fakeJava("echo boom; exit 3"), jar(), Duration.ofSeconds(30));

    Optional<String> why = builder.build(archive, log);

    assertThat(why)
        .hasValueSatisfying(w -> assertThat(w).contains("exited with 3").contains(log.toString()));
    assertThat(log).content().contains("boom");
    assertOnlyTheLogIsLeft(archive);
  }

  @Test
  void aRunThatWritesNoArchiveIsAFailure() throws Exception {
    Path archive = archive();
    Optional<String> why =
        new CdsArchiveBuilder(fakeJava("exit 0"), jar(), Duration.ofSeconds(30))
            .build(archive, archive.resolveSibling("training.log"));

    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("wrote no archive"));
    assertOnlyTheLogIsLeft(archive);
  }

  @Test
  void anArchiveTheCheckRefusesIsNotPutInPlace() throws Exception {
    Path archive = archive();
    // Writes the partial archive named in -XX:ArchiveClassesAtExit=..., then fails the -Xshare:on
    // check that follows.
    String script =
        "case \"$1\" in -XX:ArchiveClassesAtExit=*) echo x > \"${1#*=}\"; exit 0;; esac\n"
            + "echo 'An error has occurred while processing the shared archive file.'; exit 1";
    Optional<String> why =
        new CdsArchiveBuilder(fakeJava(script), jar(), Duration.ofSeconds(30))
            .build(archive, archive.resolveSibling("training.log"));

    assertThat(why)
        .hasValueSatisfying(
            w -> assertThat(w).contains("unusable").contains("shared archive file"));
    assertOnlyTheLogIsLeft(archive);
  }

  @Test
  void aHangingRunIsKilled() throws Exception {
    Path archive = archive();
    long start = System.nanoTime();
    Optional<String> why =
        new CdsArchiveBuilder(fakeJava("exec sleep 30"), jar(), Duration.ofMillis(300))
            .build(archive, archive.resolveSibling("training.log"));

    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("took longer"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertOnlyTheLogIsLeft(archive);
  }

  @Test
  void classesOutsideAJarCannotBeArchived() throws Exception {
    Path archive = archive();
    Optional<String> why =
        new CdsArchiveBuilder(fakeJava("exit 0"), dir, Duration.ofSeconds(30))
            .build(archive, archive.resolveSibling("training.log"));

    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("not running from a jar"));
    assertThat(archive).doesNotExist();
  }
}
