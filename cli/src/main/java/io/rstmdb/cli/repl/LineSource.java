package io.rstmdb.cli.repl;

import java.util.Optional;

/** Where the REPL's lines come from: a terminal with line editing, or plain piped input. */
interface LineSource extends AutoCloseable {

  /** The next line; empty at end of input (Ctrl+D). An interrupted line comes back as "". */
  Optional<String> next();

  @Override
  void close();
}
