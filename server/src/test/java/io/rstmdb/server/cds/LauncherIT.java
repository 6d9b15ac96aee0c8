package io.rstmdb.server.cds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/rstmdb and the archive: used when it matches the jar, and a missing, stale or broken archive
 * starts the server just the same without a word on the console.
 */
class LauncherIT {

  /** The server's own log lines (logback's pattern); anything else is JVM noise. */
  private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT.*");

  @TempDir Path dir;

  private static Path launcher() {
    return Path.of(System.getProperty("rstmdb.launcher", "../bin/rstmdb"));
  }

  /** Starts bin/rstmdb, returns every line up to the startup line, then stops the server. */
  private List<String> startAndStop(Path jar, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(launcher().toString()).redirectErrorStream(true);
    pb.environment().remove("RSTMDB_JAVA_OPTS");
    pb.environment().remove("RSTMDB_CDS");
    pb.environment().put("RSTMDB_SERVER_JAR", jar.toString());
    pb.environment().put("RSTMDB_BIND", "127.0.0.1:0");
    pb.environment().put("RSTMDB_DATA", dir.resolve("data").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        if (line.contains(" listening on ")) {
          p.destroy();
          assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
          return lines;
        }
      }
    } finally {
      p.destroyForcibly();
    }
    throw new AssertionError("the server did not start:\n" + String.join("\n", lines));
  }

  private Path copyOfJar() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("dist")).resolve("rstmdb-server.jar");
    Files.copy(PackagedJar.jar(), copy);
    return copy;
  }

  private static void assertNoNoise(List<String> lines) {
    assertThat(lines).as(String.join("\n", lines)).allMatch(l -> LOG_LINE.matcher(l).matches());
  }

  @Test
  @Timeout(60)
  void withoutAnArchiveTheServerStartsQuietly() throws Exception {
    Path jar = copyOfJar();

    assertNoNoise(startAndStop(jar, Map.of()));
  }

  @Test
  @Timeout(60)
  void aStaleArchiveIsSkippedQuietly() throws Exception {
    // The build's archive belongs to the jar at its build path, not to this copy.
    Path jar = copyOfJar();
    Files.copy(PackagedJar.archive(), jar.resolveSibling("rstmdb-server.jsa"));

    List<String> lines = startAndStop(jar, Map.of("RSTMDB_JAVA_OPTS", "-Xlog:class+load=info"));

    assertThat(lines).anyMatch(l -> l.contains("io.rstmdb.server.Main source: file:"));
    // The JVM's own words for an archive it cannot use: "[warning][cds,dynamic] Unable to use
    // shared archive ...". Class names may contain "cds", so match the log tag and the phrase.
    assertThat(lines).noneMatch(l -> l.contains("[cds") || l.contains("shared archive"));
  }

  @Test
  @Timeout(60)
  void aBrokenArchiveIsSkippedQuietly() throws Exception {
    Path jar = copyOfJar();
    Files.writeString(jar.resolveSibling("rstmdb-server.jsa"), "not an archive");

    assertNoNoise(startAndStop(jar, Map.of()));
  }

  @Test
  @Timeout(60)
  void theBuildsArchiveIsUsedUnlessTurnedOff() throws Exception {
    Path jar = PackagedJar.jar();
    assertThat(PackagedJar.archive()).isRegularFile();
    Map<String, String> logClasses = Map.of("RSTMDB_JAVA_OPTS", "-Xlog:class+load=info");

    assertThat(startAndStop(jar, logClasses))
        .anyMatch(l -> l.contains("io.rstmdb.server.Main source: shared objects file (top)"));
    assertThat(
            startAndStop(
                jar, Map.of("RSTMDB_JAVA_OPTS", "-Xlog:class+load=info", "RSTMDB_CDS", "off")))
        .anyMatch(l -> l.contains("io.rstmdb.server.Main source: file:"));
  }
}
