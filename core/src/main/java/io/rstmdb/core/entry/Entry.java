package io.rstmdb.core.entry;

/**
 * A typed WAL entry. The sequencer builds one per mutation, stamping every value that replay needs
 * (time, generated ids, the resulting state and ctx), so replaying entries never consults a clock,
 * a random source or the machine definitions' transition rules.
 */
public sealed interface Entry
    permits PutMachineEntry,
        CreateInstanceEntry,
        ApplyEventEntry,
        DeleteInstanceEntry,
        FlushAllEntry {
  /** Unix milliseconds stamped by the sequencer. */
  long ts();
}
