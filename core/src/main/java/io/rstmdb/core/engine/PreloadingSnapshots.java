package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.state.DatabaseState;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A snapshot store that starts loading its newest STATE snapshot (verify, decode, build the state)
 * on its own thread as soon as it is created, so that a server can open the WAL meanwhile: at
 * startup both are cold, mostly CPU-bound work, and there are cores to spare.
 *
 * <pre>{@code
 * SnapshotPort snapshots = PreloadingSnapshots.start(FileSnapshotStore.open(dir, failpoints));
 * WalPort wal = SegmentedWal.open(walDir, options); // while the snapshot loads
 * Engine engine = Engine.open(config, wal, snapshots, clock, failpoints);
 * }</pre>
 *
 * {@link Engine#open} takes the loaded state instead of reading that snapshot again. Everything
 * else is as without preloading: recovery still checks the snapshot against the WAL's range, a
 * damaged one is rejected with the same reason and an older one tried, and a snapshot recovery does
 * not use is abandoned (its loading stops at the next item) before recovery returns. Every other
 * call goes to the wrapped store, which this store closes.
 */
public final class PreloadingSnapshots implements SnapshotPort {
  private final SnapshotPort store;
  private final SnapshotInfo target;

  /** What the loader produced; dropped by {@link #finish} so an unused state is not kept. */
  private volatile CompletableFuture<DatabaseState> loaded = new CompletableFuture<>();

  private final Thread loader;
  private volatile boolean cancelled;
  private boolean taken;

  private PreloadingSnapshots(SnapshotPort store) {
    this.store = store;
    this.target = newestState(store.list());
    this.loader =
        target == null ? null : Threads.named("rstmdb-snapshot-preload").newThread(this::load);
  }

  /** Wraps {@code store} and starts loading its newest STATE snapshot, if it has one. */
  public static PreloadingSnapshots start(SnapshotPort store) {
    PreloadingSnapshots preloading =
        new PreloadingSnapshots(Objects.requireNonNull(store, "store"));
    if (preloading.loader != null) {
      preloading.loader.start();
    }
    return preloading;
  }

  private static SnapshotInfo newestState(List<SnapshotInfo> newestFirst) {
    for (SnapshotInfo info : newestFirst) {
      if (info.kind() == SnapshotKind.STATE) {
        return info;
      }
    }
    return null;
  }

  private void load() {
    CompletableFuture<DatabaseState> result = loaded;
    try (SnapshotReader reader = new Cancellable(store.open(target.id()))) {
      result.complete(StateSnapshotCodec.read(reader).state());
    } catch (Throwable e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * The preloaded state of {@code info}, once only; null when {@code info} is not the snapshot
   * being preloaded (or it was taken already).
   *
   * @throws RuntimeException what loading it failed with, exactly as loading it here would have
   */
  synchronized DatabaseState take(SnapshotInfo info) {
    if (taken || target == null || !target.equals(info)) {
      return null;
    }
    taken = true;
    try {
      return loaded.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelled = true;
      throw new CancellationException("interrupted while waiting for snapshot " + info.id());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Ends the preload: stops it if it is still loading a snapshot nobody took, waits for its thread,
   * and drops what it loaded. Recovery calls this before it returns.
   */
  synchronized void finish() {
    taken = true;
    cancelled = true;
    if (loader != null) {
      boolean interrupted = false;
      while (loader.isAlive()) {
        try {
          loader.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    loaded = CompletableFuture.failedFuture(new CancellationException("preload finished"));
  }

  @Override
  public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
    return store.begin(kind, walOffset, createdAt);
  }

  @Override
  public List<SnapshotInfo> list() {
    return store.list();
  }

  @Override
  public SnapshotReader open(String snapshotId) {
    return store.open(snapshotId);
  }

  @Override
  public void delete(String snapshotId) {
    store.delete(snapshotId);
  }

  @Override
  public void close() {
    finish();
    store.close();
  }

  /** Ends the item stream early once the preload is abandoned. */
  private final class Cancellable implements SnapshotReader {
    private final SnapshotReader reader;

    Cancellable(SnapshotReader reader) {
      this.reader = reader;
    }

    @Override
    public SnapshotInfo info() {
      return reader.info();
    }

    @Override
    public JsonNode next() {
      if (cancelled) {
        throw new CancellationException("snapshot preload abandoned");
      }
      return reader.next();
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
