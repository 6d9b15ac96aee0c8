package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.api.PutMachineResult;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compiling a PUT_MACHINE's definition (shape, guards, normalized form, checksum) reads no state,
 * so it runs before the sequencer lock: a definition that takes seconds to compile must not hold up
 * the other writers (QA: 3.4–3.6 s stalls of APPLY_EVENT behind a 5 MB PUT_MACHINE).
 *
 * <p>The compile is held deterministically by the definition itself: a tree whose first read blocks
 * until the test lets it go, standing in for one that takes long to walk.
 */
class EngineMachineCompileTest {
  private static final long WAIT_SECONDS = 10;

  private final Fixture f = new Fixture();
  private final ExecutorService putter = Executors.newSingleThreadExecutor();
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    putter.shutdownNow();
    writer.shutdownNow();
    f.close();
  }

  @Test
  void otherWritersGoOnWhileADefinitionIsCompiled() throws Exception {
    f.putOrder();
    f.create("i1");
    HeldDefinition held = new HeldDefinition(json(Fixture.ORDER));
    Future<PutMachineResult> put;
    ApplyEventResult paid;
    CreateInstanceResult created;
    try {
      put = putter.submit(() -> await(f.engine.putMachine(new PutMachine("order", 2, held, null))));
      assertThat(held.reading.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the put started reading its definition")
          .isTrue();

      // While the put is stuck in its definition, an APPLY_EVENT and a CREATE_INSTANCE go through.
      paid = writer.submit(() -> f.apply("i1", "PAY", null)).get(WAIT_SECONDS, TimeUnit.SECONDS);
      created = writer.submit(() -> f.create("i2")).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(put).isNotDone();
    } finally {
      held.release.countDown();
    }

    String checksum = MachineDefinition.parse(json(Fixture.ORDER)).checksum();
    assertThat(put.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(new PutMachineResult("order", 2, checksum, true));
    assertThat(paid.toState()).isEqualTo("paid");
    // The put is ordered after the writes that overtook it, and stores the definition as sent.
    var records = f.walRecords();
    assertThat(records).hasSize(5);
    assertThat(records.get(2).offset()).isEqualTo(paid.walOffset());
    assertThat(records.get(3).offset()).isEqualTo(created.walOffset());
    JsonNode entry = records.get(4).entry().body();
    assertThat(entry.get("type").asText()).isEqualTo("put_machine");
    assertThat(entry.get("version").asLong()).isEqualTo(2);
    assertThat(entry.get("definition")).isEqualTo(json(Fixture.ORDER));
    assertThat(await(f.engine.getMachine("order", 2)).checksum()).isEqualTo(checksum);

    // Replay compiles the stored definition again and gives back the same machine.
    f.restart();
    assertThat(await(f.engine.getMachine("order", 2)).checksum()).isEqualTo(checksum);
  }

  /**
   * A definition whose first read (copy, field lookup or iteration) waits for {@link #release};
   * {@link #reading} tells the test it has begun. Later reads go straight through.
   */
  private static final class HeldDefinition extends ObjectNode {
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HeldDefinition(JsonNode content) {
      super(JsonNodeFactory.instance);
      content.fields().forEachRemaining(e -> super.set(e.getKey(), e.getValue()));
    }

    private void hold() {
      if (reading.getCount() == 0) {
        return;
      }
      reading.countDown();
      try {
        if (!release.await(WAIT_SECONDS * 3, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ObjectNode deepCopy() {
      hold();
      return super.deepCopy();
    }

    @Override
    public JsonNode get(String name) {
      hold();
      return super.get(name);
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> fields() {
      hold();
      return super.fields();
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> properties() {
      hold();
      return super.properties();
    }

    @Override
    public Iterator<String> fieldNames() {
      hold();
      return super.fieldNames();
    }
  }

  @Test
  void aDefinitionOverTheSizeLimitIsRefusedAndOneJustUnderIsStored() {
    RstmdbException tooLarge =
        Fixture.failure(
            f.engine.putMachine(
                new PutMachine("big", 1, chain(CompiledPut.MAX_DEFINITION_CHARS + 1), null)),
            ErrorCode.BAD_REQUEST);
    assertThat(tooLarge)
        .hasMessageStartingWith("definition too large: ")
        .hasMessageEndingWith(" characters of JSON, at most 1048576");
    assertThat(
            await(
                    f.engine.putMachine(
                        new PutMachine(
                            "big", 1, chain(CompiledPut.MAX_DEFINITION_CHARS - 64), null)))
                .created())
        .isTrue();
  }

  /** A one-state machine whose meta string makes its compact JSON about {@code chars} long. */
  private static JsonNode chain(int chars) {
    ObjectNode definition =
        json("{\"states\":[\"a\"],\"initial\":\"a\",\"transitions\":[]}").deepCopy();
    int base =
        io.rstmdb.core.json.CanonicalJson.write(definition.deepCopy().put("meta", "")).length();
    definition.put("meta", "m".repeat(chars - base));
    return definition;
  }
}
