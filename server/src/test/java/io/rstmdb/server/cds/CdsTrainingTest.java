package io.rstmdb.server.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The training workload itself, in process: it goes through and cleans up after itself. */
class CdsTrainingTest {

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void runsBothServerLifetimesAndLeavesNothingBehind() throws IOException {
    Path parent = dir.resolve("not-yet-there");

    new CdsTraining(parent).run();

    assertThat(parent).isDirectory();
    try (Stream<Path> left = Files.list(parent)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aParentThatIsAFileFailsWithoutTouchingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");

    assertThatThrownBy(() -> new CdsTraining(file).run()).isInstanceOf(IOException.class);

    assertThat(file).hasContent("x");
  }
}
