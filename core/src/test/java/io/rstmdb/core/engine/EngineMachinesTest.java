package io.rstmdb.core.engine;

import static io.rstmdb.core.engine.Fixture.await;
import static io.rstmdb.core.engine.Fixture.failure;
import static io.rstmdb.core.engine.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.api.MachineSummary;
import io.rstmdb.core.api.MachineView;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.api.PutMachineResult;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineMachinesTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private PutMachineResult put(String name, long version, String definition) {
    return await(f.engine.putMachine(new PutMachine(name, version, json(definition), null)));
  }

  @Test
  void putStoresTheDefinitionAsReceivedWithItsSha256() {
    PutMachineResult result = put("order", 1, Fixture.ORDER);
    String checksum = MachineDefinition.parse(json(Fixture.ORDER)).checksum();
    assertThat(result).isEqualTo(new PutMachineResult("order", 1, checksum, true));
    assertThat(checksum).matches("[0-9a-f]{64}");

    var entry = f.walRecords().get(0).entry().body();
    assertThat(entry.get("type").asText()).isEqualTo("put_machine");
    assertThat(entry.get("definition")).isEqualTo(json(Fixture.ORDER));
    assertThat(entry.get("definition_hash").asText()).isEqualTo(checksum);
    assertThat(entry.get("ts").asLong()).isEqualTo(f.clock.millis());
  }

  @Test
  void identicalReputAnswersCreatedFalseWithoutWriting() {
    put("order", 1, Fixture.ORDER);
    String reordered =
        """
        {"initial":"created","states":["created","paid","shipped","cancelled"],"extra":1,
         "transitions":[
          {"from":["created"],"event":"PAY","to":"paid","guard":null},
          {"from":["paid"],"event":"SHIP","to":"shipped","guard":"ctx.amount > 0"},
          {"from":["created","paid"],"event":"CANCEL","to":"cancelled"},
          {"from":["paid"],"event":"TOUCH","to":"paid"}]}
        """;
    PutMachineResult again = put("order", 1, reordered);
    assertThat(again.created()).isFalse();
    assertThat(f.walRecords()).hasSize(1);
  }

  @Test
  void differentDefinitionForAnExistingVersionIsRefused() {
    put("order", 1, Fixture.ORDER);
    var e =
        failure(
            f.engine.putMachine(
                new PutMachine(
                    "order",
                    1,
                    json("{\"states\":[\"a\"],\"initial\":\"a\",\"transitions\":[]}"),
                    null)),
            ErrorCode.MACHINE_VERSION_EXISTS);
    assertThat(e).hasMessage("machine version already exists: order v1");
    assertThat(f.walRecords()).hasSize(1);
  }

  @Test
  void versionLimitIsCheckedBeforeTheDefinition() {
    f.close();
    try (Fixture limited =
        new Fixture(
            EngineConfig.defaults()
                .withCompaction(EngineConfig.Compaction.disabled())
                .withMaxMachineVersions(2))) {
      await(limited.engine.putMachine(new PutMachine("m", 1, json(Fixture.ORDER), null)));
      await(limited.engine.putMachine(new PutMachine("m", 2, json(Fixture.ORDER), null)));
      var e =
          failure(
              limited.engine.putMachine(new PutMachine("m", 3, json("{\"bogus\":true}"), null)),
              ErrorCode.MACHINE_VERSION_LIMIT_EXCEEDED);
      assertThat(e)
          .hasMessage(
              "machine version limit exceeded: machine 'm' already has 2 versions (limit: 2)");
      // Re-putting a stored version is not a new version.
      assertThat(
              await(limited.engine.putMachine(new PutMachine("m", 2, json(Fixture.ORDER), null)))
                  .created())
          .isFalse();
      // Other names have their own budget.
      assertThat(
              await(limited.engine.putMachine(new PutMachine("n", 1, json(Fixture.ORDER), null)))
                  .created())
          .isTrue();
    }
  }

  @Test
  void givenChecksumMustMatch() {
    String checksum = MachineDefinition.parse(json(Fixture.ORDER)).checksum();
    var e =
        failure(
            f.engine.putMachine(new PutMachine("order", 1, json(Fixture.ORDER), "00ff")),
            ErrorCode.BAD_REQUEST);
    assertThat(e.getMessage()).contains("checksum");
    assertThat(f.walRecords()).isEmpty();
    assertThat(
            await(f.engine.putMachine(new PutMachine("order", 1, json(Fixture.ORDER), checksum)))
                .created())
        .isTrue();
  }

  @Test
  void invalidDefinitionIsBadRequest() {
    failure(
        f.engine.putMachine(
            new PutMachine("order", 1, json("{\"states\":[\"a\"],\"initial\":\"b\"}"), null)),
        ErrorCode.BAD_REQUEST);
    failure(f.engine.putMachine(new PutMachine("order", 1, null, null)), ErrorCode.BAD_REQUEST);
    assertThat(f.walRecords()).isEmpty();
  }

  @Test
  void machineNamesFollowTheIdRules() {
    for (String bad : List.of("x".repeat(257), "a\nb", "tab\there", "\u0000", "\ud800")) {
      failure(
          f.engine.putMachine(new PutMachine(bad, 1, json(Fixture.ORDER), null)),
          ErrorCode.BAD_REQUEST);
    }
    // The empty name is a name like any other (operations.md §4.1).
    assertThat(
            await(f.engine.putMachine(new PutMachine("", 1, json(Fixture.ORDER), null))).created())
        .isTrue();
    // 256 bytes of multi-byte text is fine; 257 bytes is not.
    String twoByte = "é".repeat(128);
    assertThat(
            await(f.engine.putMachine(new PutMachine(twoByte, 1, json(Fixture.ORDER), null)))
                .created())
        .isTrue();
    failure(
        f.engine.putMachine(new PutMachine(twoByte + "x", 1, json(Fixture.ORDER), null)),
        ErrorCode.BAD_REQUEST);
    failure(
        f.engine.putMachine(new PutMachine("m", -1, json(Fixture.ORDER), null)),
        ErrorCode.BAD_REQUEST);
    failure(
        f.engine.putMachine(new PutMachine("m", 1L << 32, json(Fixture.ORDER), null)),
        ErrorCode.BAD_REQUEST);
  }

  @Test
  void getReturnsTheNormalizedDefinition() {
    put("order", 3, Fixture.ORDER);
    MachineView view = await(f.engine.getMachine("order", 3));
    MachineDefinition parsed = MachineDefinition.parse(json(Fixture.ORDER));
    assertThat(view.definition()).isEqualTo(parsed.normalized());
    assertThat(view.checksum()).isEqualTo(parsed.checksum());
    var e = failure(f.engine.getMachine("order", 4), ErrorCode.MACHINE_NOT_FOUND);
    assertThat(e).hasMessage("machine version not found: order v4");
  }

  @Test
  void listIsSortedByNameBytesThenVersion() {
    put("b", 2, Fixture.ORDER);
    put("b", 0, Fixture.ORDER);
    put("a", 10, Fixture.ORDER);
    put("a", 9, Fixture.ORDER);
    put("\uD83D\uDE00", 1, Fixture.ORDER); // above the BMP: sorts after U+FFFD in byte order
    put("\uFFFD", 1, Fixture.ORDER);
    assertThat(await(f.engine.listMachines()))
        .containsExactly(
            new MachineSummary("a", List.of(9L, 10L)),
            new MachineSummary("b", List.of(0L, 2L)),
            new MachineSummary("\uFFFD", List.of(1L)),
            new MachineSummary("\uD83D\uDE00", List.of(1L)));
  }

  @Test
  void emptyListWhenNothingIsStored() {
    assertThat(await(f.engine.listMachines())).isEmpty();
  }
}
