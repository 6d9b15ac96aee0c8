package io.rstmdb.cli.repl;

import java.util.Optional;

/** Where the REPL's lines come from: a terminal with line editing, or plain piped input. */
interface LineSource extends AutoCloseable {

  /** The next line; empty at end of input (Ctrl+D). An interrupted line comes back as "". */
  Optional<String> next();

  /**
   * Runs one command. On a terminal, Ctrl+C during it interrupts the command (a watch stops and
   * unsubscribes) instead of ending the whole shell.
   */
  default void run(Runnable command) {
    command.run();
  }

  @Override
  void close();
}
