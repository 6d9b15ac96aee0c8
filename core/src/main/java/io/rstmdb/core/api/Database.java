package io.rstmdb.core.api;

import io.rstmdb.core.port.WalStats;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the server drives: every use case of the state-machine database. Each method returns at
 * once; the future completes with the result or exceptionally with a {@link
 * io.rstmdb.core.error.RstmdbException}. A mutation's future completes only once its WAL entry is
 * durable; a read never shows a mutation that is not yet durable.
 */
public interface Database extends AutoCloseable {
  CompletableFuture<PutMachineResult> putMachine(PutMachine command);

  CompletableFuture<MachineView> getMachine(String machine, long version);

  CompletableFuture<List<MachineSummary>> listMachines();

  CompletableFuture<CreateInstanceResult> createInstance(CreateInstance command);

  CompletableFuture<InstanceView> getInstance(String instanceId);

  CompletableFuture<InstancePage> listInstances(InstanceQuery query);

  CompletableFuture<DeleteInstanceResult> deleteInstance(DeleteInstance command);

  CompletableFuture<ApplyEventResult> applyEvent(ApplyEvent command);

  CompletableFuture<BatchResult> batch(Batch batch);

  /** Removes everything, durably (a WAL marker); refused with BAD_REQUEST unless enabled. */
  CompletableFuture<FlushResult> flushAll();

  CompletableFuture<SnapshotInstanceResult> snapshotInstance(String instanceId);

  /** Snapshots state and deletes WAL history that the snapshots cover. */
  CompletableFuture<CompactResult> compact(boolean forceSnapshot);

  /** Durable WAL records from {@code fromOffset}; {@code limit} 1..1000. */
  CompletableFuture<WalReadResult> readWal(long fromOffset, int limit);

  /**
   * As {@link #readWal(long, int)}, ending the page early once its records' stored size reaches
   * {@code maxBytes} (at least one record when there is one; see {@code WalPort.read}).
   */
  default CompletableFuture<WalReadResult> readWal(long fromOffset, int limit, long maxBytes) {
    return readWal(fromOffset, limit);
  }

  WalStats walStats();

  /** The offset the next WAL record will receive. */
  long walHead();

  /** The oldest WAL offset still readable. */
  long walOldest();

  /** Registers a listener for durable transitions; returns a handle that unregisters it. */
  AutoCloseable addListener(DatabaseListener listener);

  @Override
  void close();

  /**
   * Runs {@code work} on this thread as one burst of writes: the mutations it starts may reach the
   * log together, paying for one wake-up of the log's writer instead of one each (see {@link
   * io.rstmdb.core.port.WalPort#inBurst}). Results and durability are as always. {@code work} must
   * not wait for the mutations it starts. The default just runs it.
   */
  default <T> T inWriteBurst(Supplier<T> work) {
    return work.get();
  }
}
