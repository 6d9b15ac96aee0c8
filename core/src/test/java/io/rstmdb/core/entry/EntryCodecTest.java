package io.rstmdb.core.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void everyEntryTypeRoundTrips() throws Exception {
    List<Entry> entries =
        List.of(
            new PutMachineEntry(
                1, "order", 7, "abc", json("{\"states\":[\"a\"],\"initial\":\"a\"}")),
            new CreateInstanceEntry(2, "o-1", "order", 7, "a", json("{\"x\":1}"), "k"),
            new CreateInstanceEntry(3, "o-2", "order", 7, "a", json("[1]"), null),
            new ApplyEventEntry(
                4, "o-1", "order", 7, "GO", "a", "b", json("{\"y\":2}"), json("{}"), "e", "k2"),
            new ApplyEventEntry(
                5,
                "o-1",
                "order",
                7,
                "GO",
                "b",
                "b",
                NullNode.getInstance(),
                json("{}"),
                null,
                null),
            new DeleteInstanceEntry(6, "o-1", "k3"),
            new DeleteInstanceEntry(7, "o-2", null),
            new FlushAllEntry(8));
    for (Entry entry : entries) {
      WalEntry encoded = EntryCodec.encode(entry);
      assertThat(encoded.body().get("type").asText()).isEqualTo(encoded.type());
      assertThat(EntryCodec.decode(encoded)).contains(entry);
    }
  }

  @Test
  void bodiesUseTheDocumentedFieldNamesAndOmitAbsentOptionals() throws Exception {
    ObjectNode apply =
        EntryCodec.encode(
                new ApplyEventEntry(
                    9,
                    "o-1",
                    "order",
                    1,
                    "PAY",
                    "created",
                    "paid",
                    NullNode.getInstance(),
                    json("{\"a\":1}"),
                    null,
                    null))
            .body();
    assertThat(apply.toString())
        .isEqualTo(
            ("{\"type\":\"apply_event\",\"instance_id\":\"o-1\",\"machine\":\"order\","
                + "\"version\":1,\"event\":\"PAY\",\"from_state\":\"created\","
                + "\"to_state\":\"paid\",\"payload\":null,\"ctx\":{\"a\":1},\"ts\":9}"));
    ObjectNode put =
        EntryCodec.encode(new PutMachineEntry(1, "m", 2, "h", json("{\"k\":1}"))).body();
    assertThat(put.fieldNames())
        .toIterable()
        .containsExactly("type", "machine", "version", "definition_hash", "definition", "ts");
    ObjectNode create =
        EntryCodec.encode(new CreateInstanceEntry(1, "i", "m", 2, "s", json("{}"), "key")).body();
    assertThat(create.fieldNames())
        .toIterable()
        .containsExactly(
            "type",
            "instance_id",
            "machine",
            "version",
            "initial_state",
            "initial_ctx",
            "idempotency_key",
            "ts");
    assertThat(
            EntryCodec.encode(new DeleteInstanceEntry(1, "i", null)).body().has("idempotency_key"))
        .isFalse();
    assertThat(EntryCodec.encode(new FlushAllEntry(5)).body().toString())
        .isEqualTo("{\"type\":\"flush_all\",\"ts\":5}");
  }

  @Test
  void snapshotAndCheckpointEntriesAreSkipped() throws Exception {
    assertThat(
            EntryCodec.decode(
                new WalEntry("snapshot", (ObjectNode) json("{\"type\":\"snapshot\"}"))))
        .isEmpty();
    assertThat(
            EntryCodec.decode(
                new WalEntry(
                    "checkpoint", (ObjectNode) json("{\"type\":\"checkpoint\",\"timestamp\":1}"))))
        .isEmpty();
  }

  @Test
  void unknownTypeIsAnInternalError() throws Exception {
    assertThatThrownBy(() -> EntryCodec.decode(new WalEntry("bogus", (ObjectNode) json("{}"))))
        .isInstanceOf(RstmdbException.class)
        .hasMessageContaining("bogus")
        .extracting(e -> ((RstmdbException) e).code())
        .isEqualTo(ErrorCode.INTERNAL_ERROR);
  }

  @Test
  void malformedBodyNamesTheField() throws Exception {
    assertThatThrownBy(
            () ->
                EntryCodec.decode(
                    new WalEntry(
                        "delete_instance", (ObjectNode) json("{\"instance_id\":5,\"ts\":1}"))))
        .isInstanceOf(RstmdbException.class)
        .hasMessageContaining("instance_id");
    assertThatThrownBy(
            () -> EntryCodec.decode(new WalEntry("flush_all", (ObjectNode) json("{\"ts\":\"x\"}"))))
        .hasMessageContaining("'ts'");
  }

  @Test
  void missingJsonValuesReadAsNull() throws Exception {
    Entry e =
        EntryCodec.decode(
                new WalEntry(
                    "create_instance",
                    (ObjectNode)
                        json(
                            "{\"instance_id\":\"i\",\"machine\":\"m\",\"version\":1,"
                                + "\"initial_state\":\"s\",\"ts\":1}")))
            .orElseThrow();
    assertThat(((CreateInstanceEntry) e).initialCtx().isNull()).isTrue();
  }
}
