package io.rstmdb.cli.bench;

import io.rstmdb.cli.connect.Connection;

/** What one bench connection sends. Each connection has its own instance (no sharing). */
interface Workload {

  /** Prepares server-side state this connection needs (instances to drive), before timing. */
  void setup(Connection connection);

  /** The next request; called on the I/O thread, so it must be cheap and never block. */
  BenchRequest next();
}
