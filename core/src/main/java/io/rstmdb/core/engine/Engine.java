package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.BatchResult;
import io.rstmdb.core.api.Command;
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
import io.rstmdb.core.entry.FlushAllEntry;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.json.CanonicalJson;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import io.rstmdb.core.state.DatabaseState;
import io.rstmdb.core.state.IdempotencyRecord;
import io.rstmdb.core.state.InstanceCapture;
import io.rstmdb.core.state.InstanceRecord;
import io.rstmdb.core.state.ScratchState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The state-machine database. One sequencer lock orders every mutation (validate against the
 * current state, build the WAL entries, append, apply in memory), and each caller is answered when
 * the WAL says its entries are durable. The sequencer never waits for the disk, and holds nothing
 * that needs no state: a PUT_MACHINE's definition is compiled before the lock ({@link
 * CompiledPut}).
 *
 * <p>Reads run on the caller's thread against immutable records and answer only once the newest
 * write they could have seen is durable, so nobody observes data the WAL might still lose.
 *
 * <p><b>Fail-stop.</b> State is applied in memory right after the append is issued, before it is
 * durable. If the WAL then fails, memory holds data the log does not, so the engine marks itself
 * failed: every later mutation and read answers WAL_IO_ERROR until the process restarts and
 * recovers from the files (the WAL is fail-stop after a failure too).
 *
 * <p><b>Threads.</b> A mutation runs on its caller's thread under the sequencer lock (it never
 * touches the disk: the WAL append only queues bytes). A future that waits for the WAL completes on
 * the thread that makes the write durable, normally the WAL's own writer thread, and a future whose
 * data is already durable completes at once on the caller's thread. So whatever a caller chains
 * with non-async stages runs on the WAL's thread and delays the next group commit: keep it short
 * and never block in it (blocking on a later write would deadlock the WAL); put slow follow-up work
 * on your own executor ({@code *Async} stages).
 *
 * <p>The engine does not own its ports: {@link #close()} stops the engine's threads and leaves
 * closing the WAL and the snapshot store to whoever opened them.
 */
public final class Engine implements Database {
  private static final long AUTO_COMPACTION_CHECK_MILLIS = 1_000;
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_WAL_READ = 1000;

  /**
   * Stored bytes after which a {@link #readWal(long, int)} stops: a WAL_READ reply is cut at 16 MiB
   * anyway, and without a bound 1,000 records of ~400 KB were read into memory for each request.
   */
  static final long WAL_READ_BYTES = 16L << 20;

  private final EngineConfig config;
  private final WalPort wal;
  private final Clock clock;
  private final Failpoints failpoints;
  private final DatabaseState state;
  private final Planner planner;
  private final Notifier notifier = new Notifier();
  private final Sequencer sequencer;
  private final Compactor compactor;
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(Threads.named("rstmdb-background"));
  private final ExecutorService walReader =
      Executors.newSingleThreadExecutor(Threads.named("rstmdb-wal-reader"));

  private final RecoveryReport recovery;
  private volatile long lastCompactionAt;

  private Engine(
      EngineConfig config,
      WalPort wal,
      SnapshotPort snapshots,
      Clock clock,
      Failpoints failpoints,
      Recovery.Result recovered) {
    this.config = config;
    this.recovery = recovered.report();
    DatabaseState state = recovered.state();
    this.wal = wal;
    this.clock = clock;
    this.failpoints = failpoints;
    this.state = state;
    this.planner = new Planner(config, () -> UUID.randomUUID().toString());
    this.sequencer = new Sequencer(wal, state, notifier);
    this.compactor = new Compactor(wal, snapshots, clock, failpoints, this::capture);
    this.lastCompactionAt = clock.millis();
  }

  /**
   * Recovers the state from the newest usable STATE snapshot plus the WAL after it, then starts the
   * engine's threads (and automatic compaction when configured).
   *
   * @throws RstmdbException INTERNAL_ERROR when the snapshots and WAL cannot give back every
   *     acknowledged write (the message names the snapshots and offsets involved)
   */
  public static Engine open(
      EngineConfig config,
      WalPort wal,
      SnapshotPort snapshots,
      Clock clock,
      Failpoints failpoints) {
    Recovery.Result recovered = Recovery.recover(wal, snapshots);
    Engine engine = new Engine(config, wal, snapshots, clock, failpoints, recovered);
    engine.startAutoCompaction();
    return engine;
  }

  /** How this engine's state was recovered at open. */
  public RecoveryReport recovery() {
    return recovery;
  }

  // ---------------------------------------------------------------- mutations

  @Override
  public <T> T inWriteBurst(Supplier<T> work) {
    return wal.inBurst(work);
  }

  @Override
  public CompletableFuture<PutMachineResult> putMachine(PutMachine command) {
    // Compiling a definition needs no state and can take seconds: done here, on the caller's
    // thread, so that other writers do not wait for it behind the sequencer lock.
    CompiledPut put = CompiledPut.of(command);
    return mutate(now -> planner.putMachine(put, state, now));
  }

  @Override
  public CompletableFuture<CreateInstanceResult> createInstance(CreateInstance command) {
    return mutate(now -> planner.create(command, state, now));
  }

  @Override
  public CompletableFuture<ApplyEventResult> applyEvent(ApplyEvent command) {
    return mutate(now -> planner.apply(command, state, now));
  }

  @Override
  public CompletableFuture<DeleteInstanceResult> deleteInstance(DeleteInstance command) {
    return mutate(now -> planner.delete(command, state, now));
  }

  @Override
  public CompletableFuture<FlushResult> flushAll() {
    if (!config.allowFlushAll()) {
      return CompletableFuture.failedFuture(
          RstmdbException.badRequest(
              "FLUSH_ALL is disabled. Set storage.allow_flush_all=true in config to enable."));
    }
    return mutate(
        now -> {
          long instances = state.instances().size();
          long machines = state.machines().size();
          return new Plan.Write(
              new FlushAllEntry(now), offset -> new FlushResult(instances, machines));
        });
  }

  /** Runs a planned single command under the sequencer lock. */
  private <R> CompletableFuture<R> mutate(LongFunction<Plan> plan) {
    CompletableFuture<R> out = new CompletableFuture<>();
    sequencer.submit(
        out,
        () -> {
          Plan planned = plan.apply(clock.millis());
          if (planned instanceof Plan.Write write) {
            WalPort.Append append = sequencer.write(List.of(write));
            if (write.entry() instanceof FlushAllEntry) {
              failpoints.hit("flush_all.after_append");
            }
            sequencer.completeWhenDurable(
                out, append.durable(), cast(write.result().apply(append.firstOffset())));
          } else {
            // Even a reply that writes nothing may reflect a write that is not durable yet.
            sequencer.completeWhenDurable(
                out, sequencer.lastDurable(), cast(((Plan.Reply) planned).result()));
          }
        });
    return out;
  }

  @Override
  public CompletableFuture<BatchResult> batch(Batch batch) {
    if (batch == null || batch.commands() == null) {
      return CompletableFuture.failedFuture(RstmdbException.badRequest("missing ops array"));
    }
    CompletableFuture<BatchResult> out = new CompletableFuture<>();
    sequencer.submit(out, () -> runBatch(batch, out));
    return out;
  }

  /**
   * Validates every command against a scratch view (so later commands see earlier ones), then
   * writes all resulting entries in one atomic append. Atomic mode fails the whole batch on the
   * first bad item, before anything is written; best-effort mode records the item's error and goes
   * on.
   */
  private void runBatch(Batch batch, CompletableFuture<BatchResult> out) {
    long now = clock.millis();
    ScratchState scratch = new ScratchState(state);
    // Offsets are predicted so later commands can check expected_wal_offset against earlier ones;
    // only the sequencer appends, so the WAL hands out exactly these offsets.
    long predicted = wal.nextOffset();
    List<Plan.Write> writes = new ArrayList<>();
    List<Object> outcomes = new ArrayList<>();
    List<Command> commands = batch.commands();
    for (int i = 0; i < commands.size(); i++) {
      try {
        Plan plan = planner.command(commands.get(i), scratch, now);
        if (plan instanceof Plan.Write write) {
          EntryApplier.apply(write.entry(), predicted + writes.size(), scratch);
          writes.add(write);
          outcomes.add(write);
        } else {
          outcomes.add(plan);
        }
      } catch (RstmdbException e) {
        if (batch.atomic()) {
          throw new RstmdbException(
              ErrorCode.BAD_REQUEST,
              "atomic batch failed: item " + i + ": " + e.code() + ": " + e.getMessage(),
              Map.of("item", i, "code", e.code().name()));
        }
        outcomes.add(e);
      }
    }
    CompletableFuture<Void> durable = sequencer.lastDurable();
    long offset = predicted;
    if (!writes.isEmpty()) {
      WalPort.Append append = sequencer.write(writes);
      durable = append.durable();
      offset = append.firstOffset();
    }
    List<BatchResult.Item> items = new ArrayList<>(commands.size());
    for (Object outcome : outcomes) {
      if (outcome instanceof RstmdbException e) {
        items.add(new BatchResult.Item(null, e));
      } else if (outcome instanceof Plan.Write write) {
        items.add(new BatchResult.Item(write.result().apply(offset++), null));
      } else {
        items.add(new BatchResult.Item(((Plan.Reply) outcome).result(), null));
      }
    }
    sequencer.completeWhenDurable(out, durable, new BatchResult(List.copyOf(items)));
  }

  // ---------------------------------------------------------------- reads

  @Override
  public CompletableFuture<MachineView> getMachine(String machine, long version) {
    if (machine == null) {
      return CompletableFuture.failedFuture(RstmdbException.badRequest("missing field 'machine'"));
    }
    return read(() -> Planner.machine(state, machine, version).view());
  }

  @Override
  public CompletableFuture<List<MachineSummary>> listMachines() {
    return read(() -> MachineListing.summaries(state.machines()));
  }

  @Override
  public CompletableFuture<InstanceView> getInstance(String instanceId) {
    if (instanceId == null) {
      return missingInstanceId();
    }
    return read(() -> Planner.liveInstance(state, instanceId).view());
  }

  @Override
  public CompletableFuture<InstancePage> listInstances(InstanceQuery query) {
    InstanceQuery q = query != null ? query : new InstanceQuery(null, null, null, DEFAULT_PAGE, 0);
    return read(() -> InstanceListing.page(state, q));
  }

  /**
   * Runs a query now and answers once the newest write it could have seen is durable. The
   * durability future is read after the query: any write visible to the query was applied after its
   * future was published, so the future read afterwards is that one or a later one.
   */
  private <T> CompletableFuture<T> read(Supplier<T> query) {
    RstmdbException failed = sequencer.failure();
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    T value = null;
    RstmdbException error = null;
    try {
      value = query.get();
    } catch (RstmdbException e) {
      error = e;
    } catch (RuntimeException e) {
      error = new RstmdbException(ErrorCode.INTERNAL_ERROR, "internal error: " + e, e);
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    sequencer.completeRead(out, value, error);
    return out;
  }

  /** Reads durable records on the engine's reader thread, so callers never block on disk. */
  @Override
  public CompletableFuture<WalReadResult> readWal(long fromOffset, int limit) {
    return readWal(fromOffset, limit, WAL_READ_BYTES);
  }

  @Override
  public CompletableFuture<WalReadResult> readWal(long fromOffset, int limit, long maxBytes) {
    if (fromOffset < 0) {
      return CompletableFuture.failedFuture(
          RstmdbException.badRequest("from_offset must not be negative"));
    }
    if (limit < 0 || limit > MAX_WAL_READ) {
      return CompletableFuture.failedFuture(
          RstmdbException.badRequest("limit must be between 0 and " + MAX_WAL_READ));
    }
    RstmdbException failed = sequencer.failure();
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    CompletableFuture<WalReadResult> out = new CompletableFuture<>();
    try {
      walReader.execute(
          () -> {
            try {
              List<WalRecord> records =
                  limit == 0 ? List.of() : wal.read(fromOffset, limit, maxBytes);
              // Never backwards: with nothing to return, poll again from where this one asked
              // (or from the oldest retained record if compaction removed what it asked for).
              long next =
                  records.isEmpty()
                      ? Math.max(fromOffset, wal.oldestOffset())
                      : records.get(records.size() - 1).offset() + 1;
              out.complete(new WalReadResult(List.copyOf(records), next));
            } catch (RuntimeException e) {
              out.completeExceptionally(Sequencer.walError(e));
            }
          });
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(Sequencer.closed());
    }
    return out;
  }

  @Override
  public WalStats walStats() {
    return wal.stats();
  }

  @Override
  public long walHead() {
    return wal.nextOffset();
  }

  @Override
  public long walOldest() {
    return wal.oldestOffset();
  }

  // ---------------------------------------------------------------- snapshots and compaction

  @Override
  public CompletableFuture<SnapshotInstanceResult> snapshotInstance(String instanceId) {
    if (instanceId == null) {
      return missingInstanceId();
    }
    RstmdbException failed = sequencer.failure();
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    InstanceRecord instance;
    try {
      instance = Planner.liveInstance(state, instanceId);
    } catch (RstmdbException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> durable = sequencer.lastDurable();
    CompletableFuture<SnapshotInstanceResult> out = new CompletableFuture<>();
    onBackground(out, () -> compactor.snapshotInstance(instance, durable));
    return out;
  }

  @Override
  public CompletableFuture<CompactResult> compact(boolean forceSnapshot) {
    CompletableFuture<CompactResult> out = new CompletableFuture<>();
    onBackground(out, () -> compactNow(forceSnapshot));
    return out;
  }

  /** Runs on the background thread, so compactions never overlap. */
  private CompactResult compactNow(boolean force) {
    sequencer.checkNotFailed();
    CompactResult result = compactor.compact(force);
    lastCompactionAt = clock.millis();
    return result;
  }

  /**
   * A consistent copy of the state as of one point between two writes. Under the sequencer lock it
   * copies the few machine and idempotency records and begins an {@link InstanceCapture}; the
   * instances (possibly millions) are then read here, on the compaction thread, while writes go on:
   * the lock used to be held for the whole copy, ~100 ms per million instances of stalled writers
   * (docs/performance.md, S11).
   */
  private CompletableFuture<StateCapture> capture() {
    CompletableFuture<StateCapture> locked = new CompletableFuture<>();
    AtomicReference<InstanceCapture> begun = new AtomicReference<>();
    // The sequencer runs the task now, on this thread.
    sequencer.submit(
        locked,
        () -> {
          long now = clock.millis();
          state.purgeExpired(now, config.idempotencyRetentionMillis());
          sequencer.resetEntriesWritten();
          StateCapture head = captureNow(now, List.of());
          // The snapshot will cover everything below this offset: let the WAL start a new
          // segment here, so the compaction can delete all of the old ones (docs/storage.md).
          // The capture counts as durable once the cut is made too, so the deletion sees it.
          CompletableFuture<Void> cut = wal.cutAt(head.walOffset());
          begun.set(state.beginCapture());
          locked.complete(head.withDurable(CompletableFuture.allOf(head.durable(), cut)));
        });
    InstanceCapture instances = begun.get();
    if (instances == null) {
      return locked;
    }
    try {
      return CompletableFuture.completedFuture(locked.join().withInstances(instances.instances()));
    } finally {
      state.endCapture(instances);
    }
  }

  /** Call under the sequencer lock only. */
  private StateCapture captureNow(long now, List<InstanceRecord> instances) {
    return new StateCapture(
        wal.nextOffset(),
        now,
        List.copyOf(state.machines()),
        instances,
        sortedKeys(),
        sequencer.lastDurable());
  }

  /** Idempotency records in a stable order, so equal states give equal snapshots. */
  private List<IdempotencyRecord> sortedKeys() {
    Comparator<String> byCodePoint = CanonicalJson.codePointOrder();
    List<IdempotencyRecord> keys = new ArrayList<>(state.idempotencyRecords());
    keys.sort(
        Comparator.comparing((IdempotencyRecord r) -> r.key().scope())
            .thenComparing(
                r -> r.key().instanceId() == null ? "" : r.key().instanceId(), byCodePoint)
            .thenComparing(r -> r.key().key(), byCodePoint));
    return List.copyOf(keys);
  }

  /**
   * Every machine, instance and idempotency record (expired keys included) in snapshot item form,
   * taken under the sequencer lock: a canonical picture of the state for comparing two engines.
   */
  CompletableFuture<List<JsonNode>> dump() {
    CompletableFuture<List<JsonNode>> out = new CompletableFuture<>();
    sequencer.submit(
        out,
        () ->
            out.complete(StateSnapshotCodec.items(captureNow(0, List.copyOf(state.instances())))));
    return out;
  }

  private void startAutoCompaction() {
    if (!config.compaction().active()) {
      return;
    }
    // Check often enough to honour short intervals, at most once a second.
    long period =
        Math.max(
            10,
            Math.min(AUTO_COMPACTION_CHECK_MILLIS, config.compaction().minIntervalMillis() / 10));
    background.scheduleWithFixedDelay(this::maybeCompact, period, period, TimeUnit.MILLISECONDS);
  }

  /** The automatic-compaction check; runs on the background thread. */
  private void maybeCompact() {
    try {
      EngineConfig.Compaction c = config.compaction();
      if (sequencer.failure() != null
          || clock.millis() - lastCompactionAt < c.minIntervalMillis()) {
        return;
      }
      boolean byEvents =
          c.eventsThreshold() > 0 && sequencer.entriesWritten() >= c.eventsThreshold();
      boolean bySize =
          c.sizeThresholdBytes() > 0 && wal.stats().totalSizeBytes() >= c.sizeThresholdBytes();
      if (byEvents || bySize) {
        compactNow(false);
      }
    } catch (RuntimeException e) {
      // Try again after the interval; a scheduled task that throws would never run again.
      lastCompactionAt = clock.millis();
    }
  }

  // ---------------------------------------------------------------- listeners, lifecycle

  @Override
  public AutoCloseable addListener(DatabaseListener listener) {
    return notifier.add(listener);
  }

  /** Stops accepting work, lets queued mutations finish, and stops the engine's threads. */
  @Override
  public void close() {
    background.shutdownNow();
    walReader.shutdown();
    sequencer.close();
    try {
      walReader.awaitTermination(10, TimeUnit.SECONDS);
      background.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    notifier.close();
  }

  private <T> void onBackground(CompletableFuture<T> out, Supplier<T> task) {
    try {
      background.execute(() -> Sequencer.guarded(out, () -> out.complete(task.get())));
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(Sequencer.closed());
    }
  }

  private static <T> CompletableFuture<T> missingInstanceId() {
    return CompletableFuture.failedFuture(
        RstmdbException.badRequest("missing field 'instance_id'"));
  }

  @SuppressWarnings("unchecked")
  private static <R> R cast(Object result) {
    return (R) result;
  }
}
