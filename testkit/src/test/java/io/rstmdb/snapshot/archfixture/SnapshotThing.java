package io.rstmdb.snapshot.archfixture;

/** Something in the snapshot adapter for the WAL fixture to (wrongly) use. */
public class SnapshotThing {
  public int value() {
    return 1;
  }
}
