package io.rstmdb.core.engine;

import io.rstmdb.core.entry.Entry;
import java.util.function.LongFunction;

/** What validating a command decided: write an entry, or answer without writing. */
sealed interface Plan {

  /**
   * Append {@code entry}; the caller's result depends on the offset the WAL gives it.
   *
   * @param result maps the entry's offset to the result
   */
  record Write(Entry entry, LongFunction<Object> result) implements Plan {}

  /** Nothing to write (identical re-put, repeated delete, idempotent replay). */
  record Reply(Object result) implements Plan {}
}
