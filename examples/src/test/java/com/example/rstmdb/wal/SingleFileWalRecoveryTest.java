package com.example.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract suite cannot check, because it cannot damage stored bytes: a damaged line
 * before the end is refused, naming the file and the byte, while a torn last line is cut off.
 */
class SingleFileWalRecoveryTest {
  @TempDir Path dir;

  private Path writeThreeRecords() {
    Path file = dir.resolve("toy.wal");
    ObjectMapper json = new ObjectMapper();
    try (SingleFileWal wal = SingleFileWal.open(file)) {
      for (int i = 0; i < 3; i++) {
        wal.append(List.of(new WalEntry("t", json.createObjectNode().put("i", i)))).durable().join();
      }
    }
    return file;
  }

  @Test
  void aDamagedLineBeforeTheEndRefusesToOpen() throws Exception {
    Path file = writeThreeRecords();
    byte[] bytes = Files.readAllBytes(file);
    int secondLine = new String(bytes, StandardCharsets.UTF_8).indexOf('\n') + 1;
    bytes[secondLine] = '#';
    Files.write(file, bytes);

    assertThatThrownBy(() -> SingleFileWal.open(file))
        .isInstanceOf(RstmdbException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("byte " + secondLine);
  }

  @Test
  void aTornLastLineIsCutOff() throws Exception {
    Path file = writeThreeRecords();
    long whole = Files.size(file);
    Files.write(file, "{\"o\":3,\"n\":0,\"t\":\"t\",\"e\":{".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);

    try (SingleFileWal wal = SingleFileWal.open(file)) {
      assertThat(wal.read(0, 10)).hasSize(3);
    }
    assertThat(Files.size(file)).isEqualTo(whole);
  }
}
