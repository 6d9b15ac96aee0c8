package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.FlushResult;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

class EngineFlushTest {

  private static Fixture enabled() {
    return new Fixture(
        EngineConfig.defaults()
            .withCompaction(EngineConfig.Compaction.disabled())
            .withAllowFlushAll(true));
  }

  @Test
  void disabledByDefault() {
    try (Fixture f = new Fixture()) {
      f.putOrder();
      var e = failure(f.engine.flushAll(), ErrorCode.BAD_REQUEST);
      assertThat(e)
          .hasMessage(
              "FLUSH_ALL is disabled. Set storage.allow_flush_all=true in config to enable.");
      assertThat(f.walRecords()).hasSize(1);
      assertThat(await(f.engine.getMachine("order", 1))).isNotNull();
    }
  }

  @Test
  void flushRemovesEverythingDurablyAndCountsIt() {
    try (Fixture f = enabled()) {
      f.putOrder();
      await(f.engine.putMachine(new PutMachine("order", 2, Fixture.json(Fixture.ORDER), null)));
      f.create("a");
      f.create("b");
      await(f.engine.deleteInstance(new DeleteInstance("b", null)));
      await(f.engine.applyEvent(new ApplyEvent("a", "PAY", null, null, null, null, "k")));

      assertThat(await(f.engine.flushAll())).isEqualTo(new FlushResult(2, 2));
      assertThat(f.failpointsHit).contains("flush_all.after_append");
      var last = f.walRecords().get(f.walRecords().size() - 1).entry();
      assertThat(last.type()).isEqualTo("flush_all");
      assertThat(last.body().get("ts").asLong()).isEqualTo(f.clock.millis());

      failure(f.engine.getInstance("a"), ErrorCode.INSTANCE_NOT_FOUND);
      failure(f.engine.getMachine("order", 1), ErrorCode.MACHINE_NOT_FOUND);
      assertThat(await(f.engine.listMachines())).isEmpty();
      assertThat(f.dump()).isEmpty();

      // A restart does not bring anything back, and the old ids and keys are free again.
      f.restart();
      assertThat(f.dump()).isEmpty();
      f.putOrder();
      f.create("b");
      assertThat(
              await(f.engine.applyEvent(new ApplyEvent("b", "PAY", null, null, null, null, "k")))
                  .applied())
          .isTrue();
      // The WAL history before the flush stays readable until compaction.
      assertThat(f.walRecords().get(0).entry().type()).isEqualTo("put_machine");
    }
  }

  @Test
  void flushOfAnEmptyDatabase() {
    try (Fixture f = enabled()) {
      assertThat(await(f.engine.flushAll())).isEqualTo(new FlushResult(0, 0));
      assertThat(f.walRecords()).extracting(r -> r.entry().type()).containsExactly("flush_all");
    }
  }
}
