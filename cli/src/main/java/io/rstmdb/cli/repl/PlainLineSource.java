package io.rstmdb.cli.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Lines from a pipe or file: no prompt, no editing, so scripted REPL sessions stay clean. */
final class PlainLineSource implements LineSource {

  private final BufferedReader reader;

  PlainLineSource(InputStream in) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  @Override
  public Optional<String> next() {
    try {
      return Optional.ofNullable(reader.readLine());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    // The caller owns the stream.
  }
}
