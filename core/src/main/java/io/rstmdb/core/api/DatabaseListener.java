package io.rstmdb.core.api;

/**
 * Receives transitions once they are durable, in WAL order, on the database's notification thread.
 * Implementations must return quickly and never block.
 */
@FunctionalInterface
public interface DatabaseListener {
  void onApplied(AppliedEvent event);
}
