package io.rstmdb.server.cds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes the server's AppCDS archive: runs the jar's training mode ({@link CdsTraining}) in a child
 * JVM under {@code -XX:ArchiveClassesAtExit} and moves the result into place only when the run went
 * through. On JDK 17 a dynamic archive can only come from such a run; it matches one jar (path,
 * size and time) and one JDK, and a JVM started with a mismatched archive runs without it.
 */
public final class CdsArchiveBuilder {

  private final Path java;
  private final Path jar;
  private final Duration timeout;

  /**
   * @param java the {@code java} launcher of the JDK the archive is for
   * @param jar the server jar; the archive is valid for class paths that start with it
   * @param timeout how long the training run may take before it is killed
   */
  public CdsArchiveBuilder(Path java, Path jar, Duration timeout) {
    this.java = java;
    this.jar = jar;
    this.timeout = timeout;
  }

  /**
   * Writes the archive to {@code archive}, the training run's output to {@code log}; the run's
   * scratch directory goes next to the archive and is removed again.
   *
   * @return empty when the archive was made, otherwise why not (one line); an old archive at that
   *     path is removed in both cases, since it would belong to an older jar
   */
  public Optional<String> build(Path archive, Path log) throws IOException, InterruptedException {
    Path dir = archive.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Files.deleteIfExists(archive);
    Path partial = dir.resolve(archive.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    if (!jar.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
      return Optional.of("the server is not running from a jar (" + jar + ")");
    }
    List<String> command =
        List.of(
            java.toString(),
            "-XX:ArchiveClassesAtExit=" + partial,
            "-cp",
            jar.toString(),
            "io.rstmdb.server.Main",
            CdsTraining.FLAG,
            dir.toString());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        return failed(
            partial, "the training run took longer than " + timeout.toSeconds() + " s", log);
      }
      if (process.exitValue() != 0) {
        return failed(partial, "the training run exited with " + process.exitValue(), log);
      }
      if (!Files.isRegularFile(partial)) {
        return failed(partial, "the JVM wrote no archive", log);
      }
      Optional<String> unusable = check(partial);
      if (unusable.isPresent()) {
        return failed(partial, unusable.get(), log);
      }
      Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
      return Optional.empty();
    } finally {
      process.destroyForcibly();
    }
  }

  /**
   * Starts a JVM that must map the new archive ({@code -Xshare:on} refuses to start otherwise), so
   * that a file the dump left incomplete is never put in place: a JVM may crash on a truncated
   * archive instead of ignoring it.
   */
  private Optional<String> check(Path archive) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-cp",
                jar.toString(),
                "-version")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      return Optional.of("the check of the new archive did not finish");
    }
    if (process.exitValue() != 0) {
      return Optional.of("the new archive is unusable: " + output.strip().replace('\n', ' '));
    }
    return Optional.empty();
  }

  private static Optional<String> failed(Path partial, String why, Path log) throws IOException {
    Files.deleteIfExists(partial);
    return Optional.of(why + "; see " + log);
  }
}
