package io.rstmdb.snapshot;

import io.rstmdb.core.port.SnapshotInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The committed snapshots, oldest commit first. A snapshot exists exactly when it is listed here;
 * each change produces a new value with the next generation number.
 */
record Manifest(long generation, List<SnapshotInfo> commitOrder) {

  Manifest {
    commitOrder = List.copyOf(commitOrder);
  }

  static Manifest empty() {
    return new Manifest(0, List.of());
  }

  Manifest with(SnapshotInfo info) {
    List<SnapshotInfo> next = new ArrayList<>(commitOrder);
    next.add(info);
    return new Manifest(generation + 1, next);
  }

  Manifest without(String id) {
    List<SnapshotInfo> next = new ArrayList<>(commitOrder);
    next.removeIf(i -> i.id().equals(id));
    return new Manifest(generation + 1, next);
  }

  Optional<SnapshotInfo> find(String id) {
    return commitOrder.stream().filter(i -> i.id().equals(id)).findFirst();
  }

  List<SnapshotInfo> newestFirst() {
    List<SnapshotInfo> reversed = new ArrayList<>(commitOrder);
    Collections.reverse(reversed);
    return Collections.unmodifiableList(reversed);
  }
}
