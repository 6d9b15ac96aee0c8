package io.rstmdb.core.api;

/**
 * Receives transitions once they are durable, in WAL order, on the database's notification thread.
 * Implementations must return quickly and never block.
 *
 * <p>A listener that is often idle (a watch hub with no subscribers, say) can spare the database
 * the hand-off of every transition: while {@link #wantsEvents()} is false the database may skip it
 * and call {@link #onSkipped(long)} instead. Example:
 *
 * <pre>{@code
 * db.addListener(new DatabaseListener() {
 *   public void onApplied(AppliedEvent e) { subscribers.forEach(s -> s.offer(e)); }
 *   public boolean wantsEvents() { return !subscribers.isEmpty(); }
 *   public void onSkipped(long walOffset) { seenUpTo.accumulateAndGet(walOffset, Math::max); }
 * });
 * }</pre>
 */
public interface DatabaseListener {
  void onApplied(AppliedEvent event);

  /**
   * Whether this listener wants transitions now. Asked on the writing thread for every transition;
   * must be cheap and thread-safe. When no listener wants one, it is skipped for all of them.
   */
  default boolean wantsEvents() {
    return true;
  }

  /**
   * Called instead of {@link #onApplied} for a transition nobody wanted, on the writing thread,
   * before the transition is durable. The database asks {@link #wantsEvents()} again after this
   * call and delivers the transition after all if a listener now wants it, so a listener that
   * records skipped offsets here before it starts wanting events misses nothing unnoticed.
   */
  default void onSkipped(long walOffset) {}
}
