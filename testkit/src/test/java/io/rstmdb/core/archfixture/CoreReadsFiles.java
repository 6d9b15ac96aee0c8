package io.rstmdb.core.archfixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Violates rule 1 on purpose: a core class doing file I/O. */
public class CoreReadsFiles {
  public byte[] read(Path path) throws IOException {
    return Files.readAllBytes(path);
  }
}
