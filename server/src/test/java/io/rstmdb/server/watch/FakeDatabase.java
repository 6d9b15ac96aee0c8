package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.BatchResult;
import io.rstmdb.core.api.CompactResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.api.DatabaseListener;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.FlushResult;
import io.rstmdb.core.api.InstancePage;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.api.MachineSummary;
import io.rstmdb.core.api.MachineView;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.api.PutMachineResult;
import io.rstmdb.core.api.SnapshotInstanceResult;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately small Database for driving the watch machinery in unit tests: an in-memory WAL
 * with dense offsets (every record durable at once), instances that only track state and offsets,
 * and listener notifications that the test can deliver at once, on a separate thread, or hold back
 * to simulate a lagging notification thread. Operations the watches never call are unsupported.
 */
final class FakeDatabase implements Database {
  enum Notify {
    /** Listeners run inside {@link #apply}, under the log lock (deterministic order). */
    DIRECT,
    /** Listeners run on one background thread, in WAL order, like the engine's. */
    ASYNC,
    /** Notifications wait until {@link #releaseNotifications()}. */
    HELD
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final List<DatabaseListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService notifier = Executors.newSingleThreadExecutor();
  private final AtomicInteger readCalls = new AtomicInteger();

  // Guarded by this.
  private final List<WalRecord> log = new ArrayList<>();
  private final Map<String, InstanceView> instances = new HashMap<>();
  private final Deque<AppliedEvent> held = new ArrayDeque<>();
  private final Deque<CompletableFuture<InstanceView>> deferred = new ArrayDeque<>();
  private long oldest;
  private Notify notify;
  private boolean deferLookups;
  private boolean failReads;

  FakeDatabase(Notify notify) {
    this.notify = notify;
  }

  synchronized void notifyMode(Notify mode) {
    this.notify = mode;
  }

  /** Writes a create_instance record; instances start in state "created". */
  synchronized long create(String id, String machine) {
    long offset = nextOffset();
    ObjectNode body = JSON.objectNode();
    body.put("type", "create_instance");
    body.put("instance_id", id);
    body.put("machine", machine);
    body.put("version", 1);
    body.put("initial_state", "created");
    log.add(new WalRecord(offset, new WalEntry("create_instance", body)));
    instances.put(
        id, new InstanceView(id, machine, 1, "created", JSON.objectNode(), null, offset, 0, 0));
    return offset;
  }

  /** Writes an apply_event record moving the instance to {@code toState}; returns its offset. */
  AppliedEvent apply(String id, String event, String toState, JsonNode payload) {
    AppliedEvent applied;
    synchronized (this) {
      InstanceView view = instances.get(id);
      long offset = nextOffset();
      ObjectNode ctx = JSON.objectNode();
      ctx.put("n", offset);
      ObjectNode body = JSON.objectNode();
      body.put("type", "apply_event");
      body.put("instance_id", id);
      body.put("machine", view.machine());
      body.put("version", view.version());
      body.put("event", event);
      body.put("from_state", view.state());
      body.put("to_state", toState);
      body.set("payload", payload == null ? NullNode.getInstance() : payload);
      body.set("ctx", ctx);
      log.add(new WalRecord(offset, new WalEntry("apply_event", body)));
      instances.put(
          id,
          new InstanceView(
              id, view.machine(), view.version(), toState, ctx, null, offset, 0, offset));
      applied =
          new AppliedEvent(
              offset,
              id,
              view.machine(),
              view.version(),
              view.state(),
              toState,
              event,
              payload == null ? NullNode.getInstance() : payload,
              ctx);
      switch (notify) {
        case DIRECT -> deliver(applied);
        case ASYNC -> notifier.execute(() -> deliver(applied));
        case HELD -> held.addLast(applied);
      }
    }
    return applied;
  }

  /** Writes a delete_instance record; the instance is then not found. */
  synchronized void delete(String id) {
    ObjectNode body = JSON.objectNode();
    body.put("type", "delete_instance");
    body.put("instance_id", id);
    log.add(new WalRecord(nextOffset(), new WalEntry("delete_instance", body)));
    instances.remove(id);
  }

  /** Delivers held notifications in order on the calling thread. */
  void releaseNotifications() {
    releaseNotifications(Integer.MAX_VALUE);
  }

  /** Delivers up to {@code count} of the oldest held notifications. */
  void releaseNotifications(int count) {
    List<AppliedEvent> batch = new ArrayList<>();
    synchronized (this) {
      while (!held.isEmpty() && batch.size() < count) {
        batch.add(held.removeFirst());
      }
    }
    batch.forEach(this::deliver);
  }

  /** Forgets held notifications, as history replayed at startup is never notified. */
  synchronized void discardNotifications() {
    held.clear();
  }

  /** Drops every record below {@code offset}, as compaction does. */
  synchronized void compactBefore(long offset) {
    log.removeIf(r -> r.offset() < offset);
    oldest = Math.max(oldest, offset);
  }

  /** Every record currently retained, in order. */
  synchronized List<WalRecord> records() {
    return List.copyOf(log);
  }

  int readCalls() {
    return readCalls.get();
  }

  /** Waits until the notification thread has delivered everything submitted so far. */
  void awaitNotifications() throws Exception {
    notifier.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  private void deliver(AppliedEvent event) {
    listeners.forEach(l -> l.onApplied(event));
  }

  private long nextOffset() {
    return log.isEmpty() ? oldest : log.get(log.size() - 1).offset() + 1;
  }

  @Override
  public synchronized long walHead() {
    return nextOffset();
  }

  @Override
  public synchronized long walOldest() {
    return log.isEmpty() ? oldest : log.get(0).offset();
  }

  /** While on, WAL reads fail as a broken disk would. */
  synchronized void failReads(boolean on) {
    failReads = on;
  }

  private final List<Long> readBudgets = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The byte budget of every budgeted read, in order (this fake does not apply them). */
  List<Long> readBudgets() {
    return List.copyOf(readBudgets);
  }

  @Override
  public CompletableFuture<WalReadResult> readWal(long fromOffset, int limit, long maxBytes) {
    readBudgets.add(maxBytes);
    return readWal(fromOffset, limit);
  }

  @Override
  public CompletableFuture<WalReadResult> readWal(long fromOffset, int limit) {
    readCalls.incrementAndGet();
    synchronized (this) {
      if (failReads) {
        return CompletableFuture.failedFuture(
            new RstmdbException(ErrorCode.WAL_IO_ERROR, "WAL error: read failed"));
      }
    }
    synchronized (this) {
      List<WalRecord> out = new ArrayList<>();
      if (!log.isEmpty()) {
        // offsets are dense, so the position in the list follows from the offset
        long first = log.get(0).offset();
        int start = (int) Math.max(0, Math.min(log.size(), fromOffset - first));
        for (int i = start; i < log.size() && out.size() < limit; i++) {
          out.add(log.get(i));
        }
      }
      long next =
          out.isEmpty() ? Math.max(fromOffset, walOldest()) : out.get(out.size() - 1).offset() + 1;
      return CompletableFuture.completedFuture(new WalReadResult(List.copyOf(out), next));
    }
  }

  /** While on, instance lookups stay pending until {@link #completeLookup} (a slow read). */
  synchronized void deferLookups(boolean on) {
    deferLookups = on;
  }

  /** Completes the oldest deferred lookup with the given view. */
  void completeLookup(InstanceView view) {
    CompletableFuture<InstanceView> lookup;
    synchronized (this) {
      lookup = deferred.removeFirst();
    }
    lookup.complete(view);
  }

  /** Fails the oldest deferred lookup. */
  void completeLookupExceptionally(Throwable error) {
    CompletableFuture<InstanceView> lookup;
    synchronized (this) {
      lookup = deferred.removeFirst();
    }
    lookup.completeExceptionally(error);
  }

  /** The instance as it is now. */
  synchronized InstanceView view(String instanceId) {
    return instances.get(instanceId);
  }

  @Override
  public synchronized CompletableFuture<InstanceView> getInstance(String instanceId) {
    if (deferLookups) {
      CompletableFuture<InstanceView> lookup = new CompletableFuture<>();
      deferred.addLast(lookup);
      return lookup;
    }
    InstanceView view = instances.get(instanceId);
    if (view == null) {
      return CompletableFuture.failedFuture(
          new RstmdbException(ErrorCode.INSTANCE_NOT_FOUND, "instance not found: " + instanceId));
    }
    return CompletableFuture.completedFuture(view);
  }

  @Override
  public AutoCloseable addListener(DatabaseListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  int listenerCount() {
    return listeners.size();
  }

  @Override
  public void close() {
    notifier.shutdownNow();
  }

  // Not used by watches.

  @Override
  public CompletableFuture<PutMachineResult> putMachine(PutMachine command) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<MachineView> getMachine(String machine, long version) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<List<MachineSummary>> listMachines() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<CreateInstanceResult> createInstance(CreateInstance command) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<InstancePage> listInstances(InstanceQuery query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<DeleteInstanceResult> deleteInstance(DeleteInstance command) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<ApplyEventResult> applyEvent(ApplyEvent command) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<BatchResult> batch(Batch batch) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<FlushResult> flushAll() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<SnapshotInstanceResult> snapshotInstance(String instanceId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<CompactResult> compact(boolean forceSnapshot) {
    throw new UnsupportedOperationException();
  }

  @Override
  public WalStats walStats() {
    throw new UnsupportedOperationException();
  }
}
