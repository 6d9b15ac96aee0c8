package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.Batch;
import io.rstmdb.core.api.BatchResult;
import io.rstmdb.core.api.Command;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.RejectedCommand;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineBatchTest {
  private final Fixture f = new Fixture();

  @BeforeEach
  void machine() {
    f.putOrder();
  }

  @AfterEach
  void close() {
    f.close();
  }

  private BatchResult batch(boolean atomic, Command... commands) {
    return await(f.engine.batch(new Batch(atomic, List.of(commands))));
  }

  private static ApplyEvent apply(String id, String event, Long expectedOffset) {
    return new ApplyEvent(id, event, null, null, expectedOffset, null, null);
  }

  @Test
  void atomicBatchWritesOneAppendAndLaterCommandsSeeEarlierOnes() {
    int appendsBefore = f.wal.appendCalls.get();
    BatchResult result =
        batch(
            true,
            new CreateInstance("a", "order", 1, null, null),
            apply("a", "PAY", 1L),
            apply("a", "TOUCH", 2L),
            new DeleteInstance("a", null));
    assertThat(f.wal.appendCalls.get()).isEqualTo(appendsBefore + 1);
    assertThat(result.items())
        .extracting(BatchResult.Item::result)
        .containsExactly(
            new CreateInstanceResult("a", "created", 1),
            new ApplyEventResult("created", "paid", Fixture.json("{}"), 2, true, null),
            new ApplyEventResult("paid", "paid", Fixture.json("{}"), 3, true, null),
            new DeleteInstanceResult("a", true, 4));
    assertThat(result.items()).extracting(BatchResult.Item::error).containsOnlyNulls();
    assertThat(f.walRecords()).hasSize(5);
  }

  @Test
  void atomicFailureWritesNothingAndNamesTheItem() {
    f.create("x");
    int records = f.walRecords().size();
    var e =
        failure(
            f.engine.batch(
                new Batch(
                    true,
                    List.of(
                        new CreateInstance("a", "order", 1, null, null),
                        apply("a", "PAY", null),
                        apply("a", "SHIP", null)))),
            ErrorCode.BAD_REQUEST);
    assertThat(e)
        .hasMessage(
            "atomic batch failed: item 2: GUARD_FAILED: guard failed: guard failed for transition"
                + " 'paid' -> 'shipped' on event 'SHIP'");
    assertThat(f.walRecords()).hasSize(records);
    failure(f.engine.getInstance("a"), ErrorCode.INSTANCE_NOT_FOUND);
  }

  @Test
  void atomicBatchWithARejectedItemFails() {
    var e =
        failure(
            f.engine.batch(
                new Batch(
                    true,
                    List.of(
                        new CreateInstance("a", "order", 1, null, null),
                        new RejectedCommand(
                            RstmdbException.badRequest("op not allowed in batch"))))),
            ErrorCode.BAD_REQUEST);
    assertThat(e).hasMessage("atomic batch failed: item 1: BAD_REQUEST: op not allowed in batch");
    assertThat(f.walRecords()).hasSize(1);
  }

  @Test
  void bestEffortRunsEveryItemOnItsOwn() {
    BatchResult result =
        batch(
            false,
            new CreateInstance("a", "order", 1, null, null),
            new RejectedCommand(RstmdbException.badRequest("nope")),
            apply("a", "SHIP", null),
            apply("a", "PAY", 1L),
            new CreateInstance("a", "order", 1, null, null),
            new DeleteInstance("missing", null));
    List<BatchResult.Item> items = result.items();
    assertThat(items.get(0).result()).isEqualTo(new CreateInstanceResult("a", "created", 1));
    assertThat(items.get(1).error().code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(items.get(2).error().code()).isEqualTo(ErrorCode.INVALID_TRANSITION);
    assertThat(((ApplyEventResult) items.get(3).result()).walOffset()).isEqualTo(2);
    assertThat(items.get(4).error().code()).isEqualTo(ErrorCode.INSTANCE_EXISTS);
    assertThat(items.get(5).error().code()).isEqualTo(ErrorCode.INSTANCE_NOT_FOUND);
    for (BatchResult.Item item : items) {
      assertThat((item.result() == null) != (item.error() == null)).isTrue();
    }
    assertThat(await(f.engine.getInstance("a")).state()).isEqualTo("paid");
    assertThat(f.walRecords()).hasSize(3);
  }

  @Test
  void idempotentRepeatInsideABatchAnswersTheFirstResult() {
    BatchResult result =
        batch(
            true,
            new CreateInstance(null, "order", 1, null, "k"),
            new CreateInstance(null, "order", 1, null, "k"));
    assertThat(result.items().get(1).result()).isEqualTo(result.items().get(0).result());
    assertThat(f.walRecords()).hasSize(2);
  }

  @Test
  void batchWithNothingToWriteStillAnswers() {
    f.create("a");
    await(f.engine.deleteInstance(new DeleteInstance("a", null)));
    BatchResult result = batch(true, new DeleteInstance("a", null));
    assertThat(result.items().get(0).result()).isEqualTo(new DeleteInstanceResult("a", true, 2));
    assertThat(batch(true).items()).isEmpty();
  }

  @Test
  void batchReplaysToTheSameState() {
    batch(true, new CreateInstance("a", "order", 1, null, null), apply("a", "PAY", null));
    batch(false, new CreateInstance("b", "order", 1, null, null), apply("b", "NOPE", null));
    var before = f.dump();
    f.restart();
    assertThat(f.dump()).isEqualTo(before);
  }
}
