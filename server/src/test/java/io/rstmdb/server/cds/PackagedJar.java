package io.rstmdb.server.cds;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The jar and archive the package phase made, and a way to run a child process to its end. */
final class PackagedJar {

  private PackagedJar() {}

  static Path jar() {
    return Path.of(System.getProperty("rstmdb.server.jar", "target/rstmdb-server.jar"));
  }

  /** The archive; tests that need it are skipped only when the build was told to skip it. */
  static Path archive() {
    assumeFalse(Boolean.getBoolean("rstmdb.cds.skip"), "built with -Drstmdb.cds.skip=true");
    return jar().resolveSibling("rstmdb-server.jsa");
  }

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** A finished child process: its exit code and its merged stdout and stderr. */
  record Finished(int exitCode, String output) {}

  static Finished run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (InputStream out = p.getInputStream()) {
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("still running: " + command + "\n" + text);
      }
      return new Finished(p.exitValue(), text);
    } finally {
      p.destroyForcibly();
    }
  }
}
