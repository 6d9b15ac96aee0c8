package io.rstmdb.core.engine;

import io.rstmdb.core.api.AppliedEvent;
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
import io.rstmdb.core.entry.ApplyEventEntry;
import io.rstmdb.core.entry.Entry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.entry.FlushAllEntry;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import io.rstmdb.core.state.DatabaseState;
import io.rstmdb.core.state.IdempotencyRecord;
import io.rstmdb.core.state.InstanceRecord;
import io.rstmdb.core.state.MachineRecord;
import io.rstmdb.core.state.ScratchState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The state-machine database: one sequencer thread orders every mutation (validate against the
 * current state, build the WAL entries, append, apply in memory), and each caller is answered when
 * the WAL says its entries are durable. The sequencer never waits for the disk.
 *
 * <p>Reads run on the caller's thread against immutable records and answer only once the newest
 * write they could have seen is durable, so nobody observes data the WAL might still lose.
 *
 * <p><b>Fail-stop.</b> State is applied in memory right after the append is issued, before it is
 * durable. If the WAL then fails, memory holds data the log does not, so the engine marks itself
 * failed: every later mutation and read answers WAL_IO_ERROR until the process restarts and
 * recovers from the files (the WAL is fail-stop after a failure too).
 *
 * <p>The engine does not own its ports: {@link #close()} stops the engine's threads but leaves
 * closing the WAL and snapshot store to whoever opened them.
 */
public final class Engine implements Database {
  private static final long AUTO_COMPACTION_CHECK_MILLIS = 1_000;

  private final EngineConfig config;
  private final WalPort wal;
  private final Clock clock;
  private final Failpoints failpoints;
  private final DatabaseState state;
  private final Planner planner;
  private final Notifier notifier = new Notifier();
  private final Compactor compactor;
  private final ExecutorService sequencer =
      Executors.newSingleThreadExecutor(Threads.named("rstmdb-sequencer"));
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(Threads.named("rstmdb-background"));
  private final ExecutorService walReader =
      Executors.newSingleThreadExecutor(Threads.named("rstmdb-wal-reader"));

  /** Durability of the newest append; readers chain on it. Written only by the sequencer. */
  private volatile CompletableFuture<Void> lastDurable = CompletableFuture.completedFuture(null);

  /** Set once, by the first WAL failure. */
  private volatile RstmdbException failure;

  /** Entries written since the last compaction capture; written only by the sequencer. */
  private final AtomicLong entriesSinceCompaction = new AtomicLong();

  private volatile long lastCompactionAt;

  private Engine(
      EngineConfig config,
      WalPort wal,
      SnapshotPort snapshots,
      Clock clock,
      Failpoints failpoints,
      DatabaseState state) {
    this.config = config;
    this.wal = wal;
    this.clock = clock;
    this.failpoints = failpoints;
    this.state = state;
    this.planner = new Planner(config, () -> UUID.randomUUID().toString());
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
    Engine engine = new Engine(config, wal, snapshots, clock, failpoints, recovered.state());
    engine.startAutoCompaction();
    return engine;
  }

  // ---------------------------------------------------------------- mutations

  @Override
  public CompletableFuture<PutMachineResult> putMachine(PutMachine command) {
    return mutate(now -> planner.putMachine(command, state, now));
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

  @Override
  public CompletableFuture<BatchResult> batch(Batch batch) {
    if (batch == null || batch.commands() == null) {
      return CompletableFuture.failedFuture(RstmdbException.badRequest("missing ops array"));
    }
    CompletableFuture<BatchResult> out = new CompletableFuture<>();
    onSequencer(out, () -> runBatch(batch, out));
    return out;
  }

  private void runBatch(Batch batch, CompletableFuture<BatchResult> out) {
    checkNotFailed();
    long now = clock.millis();
    ScratchState scratch = new ScratchState(state);
    // Offsets are predicted so later commands can check expected_wal_offset against earlier ones;
    // only the sequencer appends, so the WAL hands out exactly these offsets.
    long predicted = wal.nextOffset();
    List<Entry> entries = new ArrayList<>();
    List<Object> results = new ArrayList<>();
    List<RstmdbException> errors = new ArrayList<>();
    List<Command> commands = batch.commands();
    for (int i = 0; i < commands.size(); i++) {
      try {
        Plan plan = planner.command(commands.get(i), scratch, now);
        if (plan instanceof Plan.Write write) {
          long offset = predicted + entries.size();
          EntryApplier.apply(write.entry(), offset, scratch);
          entries.add(write.entry());
          results.add(write.result());
        } else {
          results.add(((Plan.Reply) plan).result());
        }
        errors.add(null);
      } catch (RstmdbException e) {
        if (batch.atomic()) {
          throw new RstmdbException(
              ErrorCode.BAD_REQUEST,
              "atomic batch failed: item " + i + ": " + e.code() + ": " + e.getMessage(),
              java.util.Map.of("item", i, "code", e.code().name()));
        }
        results.add(null);
        errors.add(e);
      }
    }
    CompletableFuture<Void> durable = lastDurable;
    long firstOffset = predicted;
    if (!entries.isEmpty()) {
      WalPort.Append append = write(entries);
      durable = append.durable();
      firstOffset = append.firstOffset();
    }
    List<BatchResult.Item> items = new ArrayList<>(commands.size());
    int written = 0;
    for (int i = 0; i < commands.size(); i++) {
      Object result = results.get(i);
      if (errors.get(i) != null) {
        items.add(new BatchResult.Item(null, errors.get(i)));
      } else if (result instanceof LongFunction<?> atOffset) {
        items.add(new BatchResult.Item(atOffset.apply(firstOffset + written++), null));
      } else {
        items.add(new BatchResult.Item(result, null));
      }
    }
    completeWhenDurable(out, durable, new BatchResult(items));
  }

  /** Runs a planned single command on the sequencer. */
  private <R> CompletableFuture<R> mutate(java.util.function.LongFunction<Plan> plan) {
    CompletableFuture<R> out = new CompletableFuture<>();
    onSequencer(
        out,
        () -> {
          checkNotFailed();
          Plan planned = plan.apply(clock.millis());
          if (planned instanceof Plan.Write write) {
            WalPort.Append append = write(List.of(write.entry()));
            if (write.entry() instanceof FlushAllEntry) {
              failpoints.hit("flush_all.after_append");
            }
            completeWhenDurable(
                out, append.durable(), cast(write.result().apply(append.firstOffset())));
          } else {
            // Even a reply that writes nothing may reflect a write that is not durable yet.
            completeWhenDurable(out, lastDurable, cast(((Plan.Reply) planned).result()));
          }
        });
    return out;
  }

  /**
   * Appends and applies entries; runs on the sequencer. The entries were validated against the
   * current state, so applying them cannot fail except through a bug.
   */
  private WalPort.Append write(List<Entry> entries) {
    List<WalEntry> encoded = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      encoded.add(EntryCodec.encode(entry));
    }
    WalPort.Append append;
    try {
      append = wal.append(encoded);
    } catch (RuntimeException e) {
      RstmdbException error = walError(e);
      fail(error);
      throw error;
    }
    CompletableFuture<Void> durable = append.durable();
    lastDurable = durable;
    durable.whenComplete(
        (ok, error) -> {
          if (error != null) {
            fail(walError(error));
          }
        });
    entriesSinceCompaction.addAndGet(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      long offset = append.firstOffset() + i;
      EntryApplier.apply(entry, offset, state);
      if (entry instanceof ApplyEventEntry e) {
        notifier.publish(
            new AppliedEvent(
                offset,
                e.instanceId(),
                e.machine(),
                e.version(),
                e.fromState(),
                e.toState(),
                e.event(),
                e.payload(),
                e.ctx()),
            durable);
      }
    }
    return append;
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
    return read(
        () -> {
          List<MachineSummary> out = new ArrayList<>();
          String name = null;
          List<Long> versions = null;
          for (MachineRecord m : state.machines()) {
            if (!m.key().name().equals(name)) {
              if (name != null) {
                out.add(new MachineSummary(name, List.copyOf(versions)));
              }
              name = m.key().name();
              versions = new ArrayList<>();
            }
            versions.add(m.key().version());
          }
          if (name != null) {
            out.add(new MachineSummary(name, List.copyOf(versions)));
          }
          return List.copyOf(out);
        });
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
    InstanceQuery q = query != null ? query : new InstanceQuery(null, null, null, 100, 0);
    return read(() -> InstanceListing.page(state.instances(), q));
  }

  @Override
  public CompletableFuture<WalReadResult> readWal(long fromOffset, int limit) {
    if (fromOffset < 0) {
      return CompletableFuture.failedFuture(
          RstmdbException.badRequest("from_offset must not be negative"));
    }
    if (limit < 0 || limit > 1000) {
      return CompletableFuture.failedFuture(
          RstmdbException.badRequest("limit must be between 0 and 1000"));
    }
    RstmdbException failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    CompletableFuture<WalReadResult> out = new CompletableFuture<>();
    try {
      walReader.execute(
          () -> {
            try {
              List<WalRecord> records = limit == 0 ? List.of() : wal.read(fromOffset, limit);
              long next =
                  records.isEmpty()
                      ? Math.max(fromOffset, wal.oldestOffset())
                      : records.get(records.size() - 1).offset() + 1;
              out.complete(new WalReadResult(List.copyOf(records), next));
            } catch (RuntimeException e) {
              out.completeExceptionally(walError(e));
            }
          });
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(closed());
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

  /**
   * Runs a query now and answers once the newest write it could have seen is durable. The
   * durability future is read after the query: any write visible to the query was applied after its
   * future was published, so the future read afterwards is that one or a later one.
   */
  private <T> CompletableFuture<T> read(Supplier<T> query) {
    RstmdbException failed = failure;
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
    CompletableFuture<Void> durable = lastDurable;
    CompletableFuture<T> out = new CompletableFuture<>();
    T result = value;
    RstmdbException problem = error;
    durable.whenComplete(
        (ok, walFailure) -> {
          if (walFailure != null) {
            out.completeExceptionally(walError(walFailure));
          } else if (problem != null) {
            out.completeExceptionally(problem);
          } else {
            out.complete(result);
          }
        });
    return out;
  }

  // ---------------------------------------------------------------- snapshots

  @Override
  public CompletableFuture<SnapshotInstanceResult> snapshotInstance(String instanceId) {
    if (instanceId == null) {
      return missingInstanceId();
    }
    CompletableFuture<SnapshotInstanceResult> out = new CompletableFuture<>();
    RstmdbException failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    InstanceRecord instance;
    try {
      instance = Planner.liveInstance(state, instanceId);
    } catch (RstmdbException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> durable = lastDurable;
    onBackground(out, () -> compactor.snapshotInstance(instance, durable));
    return out;
  }

  @Override
  public CompletableFuture<CompactResult> compact(boolean forceSnapshot) {
    CompletableFuture<CompactResult> out = new CompletableFuture<>();
    onBackground(out, () -> compactNow(forceSnapshot));
    return out;
  }

  /** Runs on the background thread. */
  private CompactResult compactNow(boolean force) {
    checkNotFailed();
    CompactResult result = compactor.compact(force);
    lastCompactionAt = clock.millis();
    return result;
  }

  /** A consistent copy of the state, taken on the sequencer between two writes. */
  private CompletableFuture<StateCapture> capture() {
    CompletableFuture<StateCapture> out = new CompletableFuture<>();
    onSequencer(
        out,
        () -> {
          checkNotFailed();
          long now = clock.millis();
          state.purgeExpired(now, config.idempotencyRetentionMillis());
          entriesSinceCompaction.set(0);
          List<IdempotencyRecord> keys = sortedKeys();
          out.complete(
              new StateCapture(
                  wal.nextOffset(),
                  now,
                  List.copyOf(state.machines()),
                  List.copyOf(state.instances()),
                  keys,
                  lastDurable));
        });
    return out;
  }

  /**
   * Every machine, instance and idempotency record (expired keys included) in snapshot item form,
   * taken on the sequencer: a canonical picture of the state for comparing two engines.
   */
  CompletableFuture<List<com.fasterxml.jackson.databind.JsonNode>> dump() {
    CompletableFuture<List<com.fasterxml.jackson.databind.JsonNode>> out =
        new CompletableFuture<>();
    onSequencer(
        out,
        () ->
            out.complete(
                StateSnapshotCodec.items(
                    new StateCapture(
                        wal.nextOffset(),
                        0,
                        List.copyOf(state.machines()),
                        List.copyOf(state.instances()),
                        sortedKeys(),
                        lastDurable))));
    return out;
  }

  /** Idempotency records in a stable order, so equal states give equal snapshots. */
  private List<IdempotencyRecord> sortedKeys() {
    java.util.Comparator<String> byCodePoint = io.rstmdb.core.json.CanonicalJson.codePointOrder();
    List<IdempotencyRecord> keys = new ArrayList<>(state.idempotencyRecords());
    keys.sort(
        java.util.Comparator.comparing((IdempotencyRecord r) -> r.key().scope())
            .thenComparing(
                r -> r.key().instanceId() == null ? "" : r.key().instanceId(), byCodePoint)
            .thenComparing(r -> r.key().key(), byCodePoint));
    return List.copyOf(keys);
  }

  private void startAutoCompaction() {
    if (!config.compaction().active()) {
      return;
    }
    long period =
        Math.max(
            10, Math.min(AUTO_COMPACTION_CHECK_MILLIS, config.compaction().minIntervalMillis()));
    background.scheduleWithFixedDelay(this::maybeCompact, period, period, TimeUnit.MILLISECONDS);
  }

  /** The automatic-compaction check; runs on the background thread. */
  private void maybeCompact() {
    try {
      EngineConfig.Compaction c = config.compaction();
      if (failure != null || clock.millis() - lastCompactionAt < c.minIntervalMillis()) {
        return;
      }
      boolean byEvents =
          c.eventsThreshold() > 0 && entriesSinceCompaction.get() >= c.eventsThreshold();
      boolean bySize =
          c.sizeThresholdBytes() > 0 && wal.stats().totalSizeBytes() >= c.sizeThresholdBytes();
      if (byEvents || bySize) {
        compactNow(false);
      }
    } catch (RuntimeException e) {
      // The next check retries; a scheduled task that throws would never run again.
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
    sequencer.shutdown();
    walReader.shutdown();
    try {
      sequencer.awaitTermination(10, TimeUnit.SECONDS);
      walReader.awaitTermination(10, TimeUnit.SECONDS);
      background.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    notifier.close();
  }

  // ---------------------------------------------------------------- plumbing

  private void onSequencer(CompletableFuture<?> out, Runnable task) {
    try {
      sequencer.execute(() -> guarded(out, task));
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(closed());
    }
  }

  private <T> void onBackground(CompletableFuture<T> out, Supplier<T> task) {
    try {
      background.execute(() -> guarded(out, () -> out.complete(task.get())));
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(closed());
    }
  }

  private static void guarded(CompletableFuture<?> out, Runnable task) {
    try {
      task.run();
    } catch (RstmdbException e) {
      out.completeExceptionally(e);
    } catch (RuntimeException e) {
      out.completeExceptionally(
          new RstmdbException(ErrorCode.INTERNAL_ERROR, "internal error: " + e, e));
    }
  }

  private static <T> void completeWhenDurable(
      CompletableFuture<T> out, CompletableFuture<Void> durable, T result) {
    durable.whenComplete(
        (ok, error) -> {
          if (error != null) {
            out.completeExceptionally(walError(error));
          } else {
            out.complete(result);
          }
        });
  }

  private void checkNotFailed() {
    RstmdbException failed = failure;
    if (failed != null) {
      throw failed;
    }
  }

  private void fail(RstmdbException error) {
    if (failure == null) {
      failure =
          new RstmdbException(
              ErrorCode.WAL_IO_ERROR,
              "WAL error: the database stopped after a WAL failure and must be restarted: "
                  + error.getMessage(),
              error);
    }
  }

  private static RstmdbException walError(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RstmdbException r && r.code() == ErrorCode.WAL_IO_ERROR) {
      return r;
    }
    return new RstmdbException(ErrorCode.WAL_IO_ERROR, "WAL error: " + cause.getMessage(), cause);
  }

  private static <T> CompletableFuture<T> missingInstanceId() {
    return CompletableFuture.failedFuture(
        RstmdbException.badRequest("missing field 'instance_id'"));
  }

  private static RstmdbException closed() {
    return new RstmdbException(ErrorCode.INTERNAL_ERROR, "the database is closed");
  }

  @SuppressWarnings("unchecked")
  private static <R> R cast(Object result) {
    return (R) result;
  }
}
