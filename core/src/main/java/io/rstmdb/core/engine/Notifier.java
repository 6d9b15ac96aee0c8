package io.rstmdb.core.engine;

import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.DatabaseListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers applied events to listeners on one thread, in WAL order, only after they are durable.
 * The sequencer hands events over in WAL order without waiting; the notification thread waits for
 * each event's durability before delivering it, so order and durability hold without ever blocking
 * the sequencer. Events whose write failed are dropped (the engine is failed by then).
 */
final class Notifier implements AutoCloseable {
  private final List<DatabaseListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(Threads.named("rstmdb-notify"));

  AutoCloseable add(DatabaseListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Called under the sequencer lock, in WAL order. A transition no listener wants is not handed to
   * the notification thread at all (that hand-off would cost a thread wake-up per write); the
   * listeners hear of its offset through {@link DatabaseListener#onSkipped} instead.
   */
  void publish(AppliedEvent event, CompletableFuture<Void> durable) {
    if (listeners.isEmpty()) {
      return;
    }
    if (!anyWants()) {
      for (DatabaseListener listener : listeners) {
        listener.onSkipped(event.walOffset());
      }
      // Asked again: one that began wanting events just now must not miss this transition.
      if (!anyWants()) {
        return;
      }
    }
    thread.execute(() -> deliver(event, durable));
  }

  private boolean anyWants() {
    for (DatabaseListener listener : listeners) {
      if (listener.wantsEvents()) {
        return true;
      }
    }
    return false;
  }

  private void deliver(AppliedEvent event, CompletableFuture<Void> durable) {
    try {
      durable.join();
    } catch (RuntimeException notDurable) {
      return;
    }
    for (DatabaseListener listener : listeners) {
      try {
        listener.onApplied(event);
      } catch (RuntimeException ignored) {
        // A failing listener must not stop delivery to the others.
      }
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
