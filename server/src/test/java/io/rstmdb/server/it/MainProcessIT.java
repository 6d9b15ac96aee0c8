package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real process: configured by the environment, one startup line, SIGTERM = graceful stop. */
class MainProcessIT {

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void startsServesAndStopsGracefullyOnSigterm() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            // The test classpath's logback-test.xml would hide the INFO startup line.
            "-Dlogback.configurationFile=logback.xml",
            "io.rstmdb.server.Main");
    pb.environment().put("RSTMDB_BIND", "127.0.0.1:0");
    pb.environment().put("RSTMDB_DATA", dir.toString());
    pb.environment().put("RSTMDB_FSYNC_POLICY", "every_n:10");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      Pattern listening =
          Pattern.compile(
              "rstmdb-java (\\S+) listening on /127\\.0\\.0\\.1:(\\d+) \\(data: (.+), fsync: (.+)\\)");
      Matcher m = null;
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
        Matcher candidate = listening.matcher(line);
        if (candidate.find()) {
          m = candidate;
          break;
        }
      }
      assertThat(m).as(seen.toString()).isNotNull();
      assertThat(m.group(1)).isEqualTo("0.1.0-SNAPSHOT");
      assertThat(m.group(3)).isEqualTo(dir.toAbsolutePath().normalize().toString());
      assertThat(m.group(4)).isEqualTo("every_n:10");
      int port = Integer.parseInt(m.group(2));
      try (RawConnection c = new RawConnection(port)) {
        c.sendJson(
            "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PUT_MACHINE\",\"params\":{\"machine\":\"m\","
                + "\"version\":1,\"definition\":"
                + ServerFixture.ORDER
                + "}}");
        assertThat(c.readFrame().at("/result/created").asBoolean()).isTrue();
      }
      // SIGTERM without Process.destroy(), which would also close our end of its output.
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      StringBuilder rest = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        rest.append(line).append('\n');
      }
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(rest.toString()).contains("shutting down").contains("rstmdb-java stopped");
    } finally {
      p.destroyForcibly();
    }
    assertThat(Files.list(dir.resolve("wal")).count()).isPositive();
  }
}
