package io.rstmdb.server.watch;

import io.rstmdb.core.api.WalReadResult;
import java.util.concurrent.CompletableFuture;

/** Reads durable WAL records from an offset ({@code Database.readWal}). */
@FunctionalInterface
interface WalReader {
  CompletableFuture<WalReadResult> read(long fromOffset, int limit);
}
