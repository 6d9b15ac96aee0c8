package io.rstmdb.wal;

import java.util.concurrent.CompletableFuture;

/** One accepted append waiting for the writer: its offsets, its encoded records, its future. */
record PendingAppend(long firstOffset, WalFormat.EncodedGroup group, CompletableFuture<Void> done) {

  long nextOffset() {
    return firstOffset + group.count();
  }

  long bytes() {
    return group.bytes().remaining();
  }
}
