package io.rstmdb.core.state;

import io.rstmdb.core.json.CanonicalJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instance records as they were at one moment, read while writes go on. Begun under the
 * writer's lock ({@link DatabaseState#beginCapture}); from then on every write that replaces an
 * instance first remembers the record it replaces (once per id), so {@link #instances()} can walk
 * the live map without the lock and put back what changed since.
 *
 * <p>Why: a consistent copy of a million instances taken under the lock held every writer for ~100
 * ms (the copy walks the ordered ids and looks each one up); with a capture the lock is held for a
 * field write, and the walk runs on the compaction thread.
 */
public final class InstanceCapture {
  private final DatabaseState state;

  /** Id → the record it had when the capture began (empty: the id did not exist yet). */
  private final ConcurrentHashMap<String, Optional<InstanceRecord>> before =
      new ConcurrentHashMap<>();

  /** Set after a clear() remembered every record: then {@link #before} alone is the answer. */
  private volatile boolean cleared;

  InstanceCapture(DatabaseState state) {
    this.state = state;
  }

  /** Called by the writer before it replaces {@code id}'s record ({@code null}: a new id). */
  void remember(String id, InstanceRecord previous) {
    before.putIfAbsent(id, Optional.ofNullable(previous));
  }

  /** Called by the writer before it removes every instance. */
  void rememberAllThenClear(Iterable<InstanceRecord> all) {
    for (InstanceRecord r : all) {
      remember(r.id(), r);
    }
    cleared = true;
  }

  /** How many ids changed since the capture began (for tests). */
  int remembered() {
    return before.size();
  }

  /**
   * Every instance (deleted ones included) as it was when the capture began, in listing order. Safe
   * to call without the writer's lock while writes go on.
   */
  public List<InstanceRecord> instances() {
    if (!cleared) {
      List<InstanceRecord> out = new ArrayList<>();
      for (String id : state.instanceIdsInOrder()) {
        // The live record first: a write that replaced it remembered the old one before, so the
        // memory below is complete for every record seen here.
        InstanceRecord now = state.instance(id);
        Optional<InstanceRecord> was = before.get(id);
        if (was != null) {
          was.ifPresent(out::add);
        } else if (now != null) {
          out.add(now);
        }
      }
      if (!cleared) {
        return out;
      }
    }
    // Everything was removed during the capture, after being remembered.
    Comparator<String> order = CanonicalJson.codePointOrder();
    return before.values().stream()
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(InstanceRecord::id, order))
        .toList();
  }
}
