package io.rstmdb.wal.archfixture;

import io.rstmdb.snapshot.archfixture.SnapshotThing;

/** Violates rule 2 on purpose: one adapter using another. */
public class WalUsesSnapshot {
  public int value() {
    return new SnapshotThing().value();
  }
}
