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
 * <p>It also knows from which offset on it hears about every transition, and the highest offset it
 * has been notified of. A subscription that reads the WAL may switch to live delivery at cursor
 * {@code c} only when {@link #notifiesEverythingFrom(long)} holds: every transition at or after
 * {@code c} is then still to be notified (none was notified yet, and none predates the listener,
 * such as history recovered at startup), so the live path brings all of them and nothing falls in
 * between.
 */
final class EventRouter implements DatabaseListener {
  private final AtomicLong lastNotified = new AtomicLong(-1);
  private volatile long listeningFrom = Long.MAX_VALUE;
  private final Map<String, Set<Subscription>> byInstance = new ConcurrentHashMap<>();
  private final Set<Subscription> all = ConcurrentHashMap.newKeySet();

  @Override
  public void onApplied(AppliedEvent event) {
    // Publish the offset before offering: a subscription that reads it afterwards and sees its
    // cursor beyond it is guaranteed to be offered this event once it has switched to live.
    noteSeen(event.walOffset());
    Set<Subscription> watchers = byInstance.get(event.instanceId());
    if (watchers != null) {
      watchers.forEach(s -> s.offer(event));
    }
    all.forEach(s -> s.offer(event));
  }

  /** Worth a hand-off only while somebody watches. */
  @Override
  public boolean wantsEvents() {
    return !all.isEmpty() || !byInstance.isEmpty();
  }

  /**
   * A transition skipped while nobody watched counts as notified: a subscription added since may
   * not switch to live at or below it, because the live path will never bring it.
   */
  @Override
  public void onSkipped(long walOffset) {
    noteSeen(walOffset);
  }

  /** Monotonic: a skip is recorded before delivery of older transitions may still run. */
  private void noteSeen(long walOffset) {
    lastNotified.accumulateAndGet(walOffset, Math::max);
  }

  /**
   * Records the WAL head read right after this router was registered as a listener: every record
   * appended from then on is published to it. Until called, nothing counts as covered.
   */
  void listeningFrom(long walHead) {
    listeningFrom = walHead;
  }

  /** Whether every transition at or after {@code cursor} is still to be notified. */
  boolean notifiesEverythingFrom(long cursor) {
    return cursor >= listeningFrom && cursor > lastNotified.get();
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
