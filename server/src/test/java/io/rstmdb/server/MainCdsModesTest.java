package io.rstmdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.server.cds.CdsTraining;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's CDS modes fail with one line and no stack trace (the jar itself: CdsArchiveIT). */
class MainCdsModesTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTrainingRunThatCannotStartExitsOneWithOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

    int code = Main.train(new String[] {CdsTraining.FLAG, file.toString()}, stream);

    assertThat(code).isEqualTo(1);
    assertThat(printed()).startsWith("rstmdb: CDS training failed: ");
    assertThat(printed().lines()).hasSize(1);
  }

  @Test
  void anArchiveThatCannotBeMadeIsExplainedInOneLine() {
    // Tests run from target/classes, not from a jar: nothing to archive.
    Path archive = dir.resolve("rstmdb-server.jsa");

    Main.buildArchive(archive, stream);

    assertThat(printed())
        .startsWith("rstmdb: no AppCDS archive (the server is not running from a jar")
        .contains("the server starts without it");
    assertThat(printed().lines()).hasSize(1);
    assertThat(archive).doesNotExist();
  }
}
