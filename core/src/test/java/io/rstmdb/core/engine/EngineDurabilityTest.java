package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineDurabilityTest {
  private final Fixture f = new Fixture();

  @BeforeEach
  void machine() {
    f.putOrder();
    f.create("o-1");
    f.wal.manual(true);
  }

  @AfterEach
  void close() {
    f.wal.release();
    f.close();
  }

  /** Waits until the sequencer has issued the append (the WAL's head moved). */
  private void awaitAppended(long next) throws InterruptedException {
    for (int i = 0; i < 500 && f.wal.nextOffset() < next; i++) {
      Thread.sleep(5);
    }
    assertThat(f.wal.nextOffset()).isEqualTo(next);
  }

  @Test
  void mutationAnswersOnlyOnceDurable() throws Exception {
    CompletableFuture<ApplyEventResult> apply =
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    awaitAppended(3);
    Thread.sleep(20);
    assertThat(apply).isNotDone();
    f.wal.release();
    assertThat(await(apply).toState()).isEqualTo("paid");
  }

  @Test
  void theSequencerKeepsAppendingWhileEarlierWritesAwaitTheDisk() throws Exception {
    List<CompletableFuture<ApplyEventResult>> pending = new ArrayList<>();
    pending.add(f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null)));
    for (int i = 0; i < 9; i++) {
      pending.add(
          f.engine.applyEvent(new ApplyEvent("o-1", "TOUCH", null, null, null, null, null)));
    }
    awaitAppended(12);
    assertThat(pending).noneMatch(CompletableFuture::isDone);
    f.wal.release();
    for (int i = 0; i < pending.size(); i++) {
      assertThat(await(pending.get(i)).walOffset()).isEqualTo(2 + i);
    }
  }

  @Test
  void callersWaitingForTheDiskAreAnsweredOnTheThreadThatMadeItDurable() throws Exception {
    CompletableFuture<String> pending =
        f.engine
            .applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null))
            .thenApply(r -> Thread.currentThread().getName());
    awaitAppended(3);
    assertThat(pending).isNotDone();
    Thread walThread = new Thread(f.wal::release, "test-wal-commit");
    walThread.start();
    walThread.join();
    // No hand-off in between: the reply was ready when the WAL's thread returned.
    assertThat(pending).isDone();
    assertThat(await(pending)).isEqualTo("test-wal-commit");
  }

  @Test
  void mutationsRunOnTheCallersThread() throws Exception {
    String caller = Thread.currentThread().getName();
    CompletableFuture<String> planned = new CompletableFuture<>();
    f.engine.addListener(
        new io.rstmdb.core.api.DatabaseListener() {
          @Override
          public void onApplied(io.rstmdb.core.api.AppliedEvent event) {}

          @Override
          public boolean wantsEvents() {
            return false;
          }

          @Override
          public void onSkipped(long walOffset) {
            planned.complete(Thread.currentThread().getName());
          }
        });
    f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    assertThat(planned).isCompletedWithValue(caller);
    f.wal.release();
  }

  @Test
  void readsNeverShowANonDurableWrite() throws Exception {
    CompletableFuture<ApplyEventResult> apply =
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    awaitAppended(3);
    CompletableFuture<InstanceView> get = f.engine.getInstance("o-1");
    CompletableFuture<?> list = f.engine.listInstances(new InstanceQuery(null, null, null, 10, 0));
    CompletableFuture<?> machines = f.engine.listMachines();
    Thread.sleep(20);
    assertThat(get).isNotDone();
    assertThat(list).isNotDone();
    assertThat(machines).isNotDone();
    f.wal.release();
    assertThat(await(get).state()).isEqualTo("paid");
    await(apply);
    // With nothing pending, reads answer at once.
    assertThat(f.engine.getInstance("o-1")).isDone();
  }

  @Test
  void notFoundCausedByAPendingDeleteAlsoWaits() throws Exception {
    f.engine.deleteInstance(new DeleteInstance("o-1", null));
    awaitAppended(3);
    CompletableFuture<InstanceView> get = f.engine.getInstance("o-1");
    Thread.sleep(20);
    assertThat(get).isNotDone();
    f.wal.release();
    failure(get, ErrorCode.INSTANCE_NOT_FOUND);
  }

  @Test
  void idempotentReplayOfAPendingWriteWaitsForIt() throws Exception {
    CompletableFuture<ApplyEventResult> first =
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, "k"));
    awaitAppended(3);
    CompletableFuture<ApplyEventResult> replay =
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, "k"));
    Thread.sleep(20);
    assertThat(replay).isNotDone();
    f.wal.release();
    assertThat(await(replay).applied()).isFalse();
    assertThat(await(first).applied()).isTrue();
  }

  @Test
  void walReadShowsOnlyDurableRecords() throws Exception {
    f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    awaitAppended(3);
    WalReadResult read = await(f.engine.readWal(0, 100));
    assertThat(read.records()).hasSize(2);
    assertThat(read.nextOffset()).isEqualTo(2);
    WalReadResult nothing = await(f.engine.readWal(2, 100));
    assertThat(nothing.records()).isEmpty();
    assertThat(nothing.nextOffset()).isEqualTo(2);
    f.wal.release();
    assertThat(await(f.engine.readWal(2, 100)).records()).hasSize(1);
  }

  @Test
  void failedFsyncFailsTheCallerAndStopsTheEngine() throws Exception {
    CompletableFuture<ApplyEventResult> apply =
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null));
    CompletableFuture<InstanceView> get = null;
    awaitAppended(3);
    get = f.engine.getInstance("o-1");
    f.wal.failPending();
    failure(apply, ErrorCode.WAL_IO_ERROR);
    failure(get, ErrorCode.WAL_IO_ERROR);
    // Fail-stop: every later mutation and read refuses.
    var later =
        failure(
            f.engine.createInstance(new CreateInstance("o-2", "order", 1, null, null)),
            ErrorCode.WAL_IO_ERROR);
    assertThat(later.retryable()).isTrue();
    failure(f.engine.getInstance("o-1"), ErrorCode.WAL_IO_ERROR);
    failure(f.engine.listMachines(), ErrorCode.WAL_IO_ERROR);
    failure(f.engine.readWal(0, 10), ErrorCode.WAL_IO_ERROR);
    failure(f.engine.compact(true), ErrorCode.WAL_IO_ERROR);

    // A restart recovers what was durable; the failed write is gone.
    f.wal.crash();
    f.wal.manual(false);
    f.restart();
    assertThat(await(f.engine.getInstance("o-1")).state()).isEqualTo("created");
  }

  @Test
  void appendThatThrowsFailsTheCallerAndStopsTheEngine() {
    f.wal.manual(false);
    f.wal.failNextAppend();
    failure(
        f.engine.applyEvent(new ApplyEvent("o-1", "PAY", null, null, null, null, null)),
        ErrorCode.WAL_IO_ERROR);
    failure(f.engine.getInstance("o-1"), ErrorCode.WAL_IO_ERROR);
    f.wal.crash();
    f.restart();
    assertThat(await(f.engine.getInstance("o-1")).state()).isEqualTo("created");
  }

  @Test
  void walReadValidatesItsArguments() {
    f.wal.manual(false);
    failure(f.engine.readWal(-1, 10), ErrorCode.BAD_REQUEST);
    failure(f.engine.readWal(0, 1001), ErrorCode.BAD_REQUEST);
    WalReadResult zero = await(f.engine.readWal(0, 0));
    assertThat(zero.records()).isEmpty();
    assertThat(zero.nextOffset()).isZero();
    WalReadResult future = await(f.engine.readWal(50, 10));
    assertThat(future.nextOffset()).isEqualTo(50);
    assertThat(await(f.engine.readWal(0, 1)).nextOffset()).isEqualTo(1);
  }

  @Test
  void closedEngineRefusesWork() {
    f.wal.manual(false);
    CreateInstanceResult ok = f.create("o-2");
    assertThat(ok.walOffset()).isEqualTo(2);
    f.engine.close();
    failure(
        f.engine.createInstance(new CreateInstance("o-3", "order", 1, null, null)),
        ErrorCode.INTERNAL_ERROR);
    f.engine = f.open();
  }
}
