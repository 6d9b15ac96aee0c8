package io.rstmdb.server.watch;

import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.DatabaseListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one database listener: fans every durable transition out to the subscriptions that may want
 * it. WATCH_INSTANCE subscriptions are indexed by instance id so that a busy database does not
 * touch every subscriber for every event.
 *
 * <p>It also remembers the highest offset it has been notified of. A subscription that reads the
 * WAL may switch to live delivery only once its cursor is beyond that offset: everything notified
 * so far is then behind the cursor (already read from the WAL), and everything notified later has a
 * higher offset (notifications come in WAL order), so nothing falls in between.
 */
final class EventRouter implements DatabaseListener {
  private final AtomicLong lastNotified = new AtomicLong(-1);
  private final Map<String, Set<Subscription>> byInstance = new ConcurrentHashMap<>();
  private final Set<Subscription> all = ConcurrentHashMap.newKeySet();

  @Override
  public void onApplied(AppliedEvent event) {
    // Publish the offset before offering: a subscription that reads it afterwards and sees its
    // cursor beyond it is guaranteed to be offered this event once it has switched to live.
    lastNotified.set(event.walOffset());
    Set<Subscription> watchers = byInstance.get(event.instanceId());
    if (watchers != null) {
      watchers.forEach(s -> s.offer(event));
    }
    all.forEach(s -> s.offer(event));
  }

  /** Highest WAL offset of a transition notified so far, -1 before the first. */
  long lastNotified() {
    return lastNotified.get();
  }

  void add(Subscription subscription) {
    if (subscription.instanceKey() == null) {
      all.add(subscription);
    } else {
      // compute, not computeIfAbsent(..).add: remove() may drop an emptied set in between.
      byInstance.compute(
          subscription.instanceKey(),
          (k, set) -> {
            Set<Subscription> watchers = set != null ? set : ConcurrentHashMap.newKeySet();
            watchers.add(subscription);
            return watchers;
          });
    }
  }

  void remove(Subscription subscription) {
    if (subscription.instanceKey() == null) {
      all.remove(subscription);
    } else {
      byInstance.computeIfPresent(
          subscription.instanceKey(),
          (k, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
          });
    }
  }

  int count(WatchKind kind) {
    if (kind == WatchKind.ALL) {
      return all.size();
    }
    return byInstance.values().stream().mapToInt(Set::size).sum();
  }
}
