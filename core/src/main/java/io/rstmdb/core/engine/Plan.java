package io.rstmdb.core.engine;

import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.entry.Entry;
import io.rstmdb.core.entry.PutMachineEntry;
import java.util.function.LongFunction;

/** What validating a command decided: write an entry, or answer without writing. */
sealed interface Plan {

  /**
   * Append {@code entry}; the caller's result depends on the offset the WAL gives it.
   *
   * @param result maps the entry's offset to the result
   * @param definition for a {@link PutMachineEntry}, its definition compiled before the sequencer
   *     lock was taken, so that applying the entry does not compile it again under the lock; {@code
   *     null} for other entries
   */
  record Write(Entry entry, LongFunction<Object> result, MachineDefinition definition)
      implements Plan {

    Write(Entry entry, LongFunction<Object> result) {
      this(entry, result, null);
    }
  }

  /** Nothing to write (identical re-put, repeated delete, idempotent replay). */
  record Reply(Object result) implements Plan {}
}
