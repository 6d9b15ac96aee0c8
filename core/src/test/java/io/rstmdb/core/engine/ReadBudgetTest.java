package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every WAL read the engine makes carries a byte budget, so that large records cannot make one read
 * hold hundreds of MB: recovery read 1,000 records of ~400 KB a chunk, and WAL_READ as many.
 */
class ReadBudgetTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void walReadAsksForAtMostOneReplysWorth() {
    f.putOrder();
    f.create("a");
    f.wal.readBudgets.clear();

    assertThat(await(f.engine.readWal(0, 1000)).records()).hasSize(2);
    assertThat(await(f.engine.readWal(0, 1000, 123)).records()).hasSize(2);

    assertThat(f.wal.readBudgets).containsExactly(Engine.WAL_READ_BYTES, 123L);
  }

  @Test
  void recoveryReadsItsChunksWithABudget() {
    f.putOrder();
    f.create("a");
    f.wal.readBudgets.clear();

    f.restart();

    assertThat(f.wal.readBudgets).isNotEmpty().containsOnly(TailReader.CHUNK_BYTES);
    assertThat(await(f.engine.getInstance("a")).state()).isEqualTo("created");
  }
}
