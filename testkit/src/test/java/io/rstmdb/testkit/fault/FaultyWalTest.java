package io.rstmdb.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FaultyWalTest {
  private final ListWal inner = new ListWal();

  private static List<WalEntry> entry(int n) {
    return List.of(
        new WalEntry(
            "apply_event", JsonNodeFactory.instance.objectNode().put("type", "x").put("n", n)));
  }

  private static RstmdbException failureOf(CompletableFuture<Void> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("future did not fail");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RstmdbException.class);
      return (RstmdbException) e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withoutAPlannedFaultItIsTransparent() {
    FaultyWal wal = FaultyWal.wrap(inner);
    WalPort.Append a = wal.append(entry(0));
    WalPort.Append b = wal.append(entry(1));
    assertThat(a.firstOffset()).isZero();
    assertThat(b.firstOffset()).isEqualTo(1);
    assertThat(b.durable()).isCompleted();
    assertThat(wal.read(0, 10)).hasSize(2);
    assertThat(wal.nextOffset()).isEqualTo(2);
    assertThat(wal.durableOffset()).isEqualTo(2);
    assertThat(wal.stats().entryCount()).isEqualTo(2);
    assertThat(wal.faulted()).isFalse();
    wal.close();
    assertThat(inner.closed()).isTrue();
  }

  @Test
  void burstsReachTheWrappedLog() {
    FaultyWal wal = FaultyWal.wrap(inner);
    long offset = wal.inBurst(() -> wal.append(entry(0)).firstOffset());
    assertThat(offset).isZero();
    assertThat(inner.bursts()).isEqualTo(1);
  }

  @Test
  void failAppendCallThrowsOnExactlyThatCallThenStaysFailStop() {
    FaultyWal wal = FaultyWal.wrap(inner).failAppendCall(3);
    wal.append(entry(0));
    wal.append(entry(1));
    assertThatThrownBy(() -> wal.append(entry(2)))
        .isInstanceOfSatisfying(
            RstmdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.WAL_IO_ERROR);
              assertThat(e.getMessage()).contains("append call #3");
            });
    assertThat(wal.faulted()).isTrue();

    WalPort.Append later = wal.append(entry(3));
    RstmdbException e = failureOf(later.durable());
    assertThat(e.code()).isEqualTo(ErrorCode.WAL_IO_ERROR);
    assertThat(e.getMessage()).contains("fail-stop");
    assertThat(inner.read(0, 10)).hasSize(2);
    assertThat(wal.appendCalls()).isEqualTo(4);
  }

  @Test
  void failDurableFailsTheFutureLikeAnFsyncAndDropsTheEntries() {
    FaultyWal wal = FaultyWal.wrap(inner).failDurable(2);
    assertThat(wal.append(entry(0)).durable()).isCompleted();
    WalPort.Append failed = wal.append(entry(1));
    assertThat(failed.firstOffset()).isEqualTo(1);
    RstmdbException e = failureOf(failed.durable());
    assertThat(e.code()).isEqualTo(ErrorCode.WAL_IO_ERROR);
    assertThat(e.getMessage()).contains("fsync", "#2");
    assertThat(wal.read(0, 10)).hasSize(1);

    RstmdbException later = failureOf(wal.append(entry(2)).durable());
    assertThat(later.code()).isEqualTo(ErrorCode.WAL_IO_ERROR);
    assertThat(wal.read(0, 10)).hasSize(1);
  }

  @Test
  void nextFaultsCountFromTheCurrentCall() {
    FaultyWal wal = FaultyWal.wrap(inner);
    wal.append(entry(0));
    wal.failNextDurable();
    assertThat(wal.append(entry(1)).durable()).isCompletedExceptionally();

    FaultyWal other = FaultyWal.wrap(new ListWal());
    other.append(entry(0));
    other.failNextAppendCall();
    assertThatThrownBy(() -> other.append(entry(1))).isInstanceOf(RstmdbException.class);
  }

  @Test
  void callNumbersStartAtOne() {
    FaultyWal wal = FaultyWal.wrap(inner);
    assertThatThrownBy(() -> wal.failAppendCall(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wal.failDurable(-2)).isInstanceOf(IllegalArgumentException.class);
  }
}
