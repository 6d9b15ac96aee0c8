package io.rstmdb.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDamageTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("f.bin");
    Files.write(file, new byte[] {0, 1, 2, 3, 4});
  }

  @Test
  void flipByteInvertsExactlyOneByte() throws Exception {
    FileDamage.flipByte(file, 1);
    assertThat(Files.readAllBytes(file)).containsExactly(0, (byte) 0xFE, 2, 3, 4);
    FileDamage.flipMiddleByte(file);
    assertThat(Files.readAllBytes(file)).containsExactly(0, (byte) 0xFE, (byte) 0xFD, 3, 4);
  }

  @Test
  void flipByteOutsideTheFileIsRefused() {
    assertThatThrownBy(() -> FileDamage.flipByte(file, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileDamage.flipByte(file, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncateCutsTheTail() throws Exception {
    FileDamage.truncate(file, 2);
    assertThat(Files.readAllBytes(file)).containsExactly(0, 1);
    assertThatThrownBy(() -> FileDamage.truncate(file, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tearTailCutsTheLastBytes() throws Exception {
    FileDamage.tearTail(file, 2);
    assertThat(Files.readAllBytes(file)).containsExactly(0, 1, 2);
    assertThatThrownBy(() -> FileDamage.tearTail(file, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileDamage.tearTail(file, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteRemovesAndInsistsTheFileExists() {
    FileDamage.delete(file);
    assertThat(file).doesNotExist();
    assertThatThrownBy(() -> FileDamage.delete(file)).isInstanceOf(UncheckedIOException.class);
  }
}
