package io.rstmdb.core.entry;

/** Everything before this entry was wiped by FLUSH_ALL (decision 12). */
public record FlushAllEntry(long ts) implements Entry {}
