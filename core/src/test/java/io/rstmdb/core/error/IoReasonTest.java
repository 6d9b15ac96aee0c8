package io.rstmdb.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoReasonTest {
  @TempDir Path dir;

  @Test
  void fileExceptionsNameTheFileAndTheProblem() {
    assertThat(IoReason.of(new AccessDeniedException("/d/wal")))
        .isEqualTo("/d/wal: permission denied");
    assertThat(IoReason.of(new NoSuchFileException("/d/x")))
        .isEqualTo("/d/x: no such file or directory");
    assertThat(IoReason.of(new NotDirectoryException("/d/f"))).isEqualTo("/d/f: not a directory");
    assertThat(IoReason.of(new FileSystemException("/a", "/b", "No space left on device")))
        .isEqualTo("/a -> /b: No space left on device");
  }

  @Test
  void theReasonAloneLeavesTheFileOut() {
    assertThat(IoReason.reasonOf(new AccessDeniedException("/d/wal")))
        .isEqualTo("permission denied");
    assertThat(IoReason.reasonOf(new IOException("Input/output error")))
        .isEqualTo("Input/output error");
  }

  @Test
  void otherFailuresKeepTheirMessage() {
    assertThat(IoReason.of(new IOException("Input/output error"))).isEqualTo("Input/output error");
    assertThat(IoReason.of(new IOException())).isEqualTo("IOException");
  }

  @Test
  void aRealFailureFromTheFileSystemSaysWhatWentWrong() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    try {
      Files.createDirectories(file.resolve("sub"));
    } catch (IOException e) {
      String sub = file.resolve("sub").toString();
      assertThat(IoReason.of(e)).startsWith(sub + ": ").hasSizeGreaterThan(sub.length() + 4);
      return;
    }
    throw new AssertionError("creating a directory under a file succeeded");
  }
}
