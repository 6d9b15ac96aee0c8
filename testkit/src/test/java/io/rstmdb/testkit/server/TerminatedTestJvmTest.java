package io.rstmdb.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A build tool that kills its test fork (a timeout, Ctrl-C) sends SIGTERM: the extension's
 * temporary data directory must go with the JVM rather than stay in the temp folder.
 */
class TerminatedTestJvmTest {

  @Test
  void aTestJvmStoppedBySigtermDeletesItsTemporaryDataDirectory() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerHeldUntilKilled.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("the child's data directory").isNotNull();
      Path dataDir = Path.of(line);
      assertThat(dataDir.resolve("wal")).as("a server ran there").isDirectory();

      child.destroy(); // SIGTERM
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(dataDir).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }
}
