package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.port.WalEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * WalFormat writes entry bodies by walking the tree into a generator; the bytes must be exactly
 * what {@code ObjectMapper.writeValueAsBytes} writes (earlier segments hold those, and WAL_READ and
 * recovery read both alike).
 */
class WalPayloadBytesTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ObjectMapper mapper = new ObjectMapper();
  private final WalFormat format = new WalFormat();

  private byte[] payload(ObjectNode body) {
    return format.payload(new WalEntry("apply_event", body));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.strings().ascii().ofMaxLength(30)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(12)),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(4)));
  }

  @Provide
  Arbitrary<JsonNode> values() {
    return Arbitraries.lazyOf(
        () -> texts().map(NODES::textNode),
        () -> Arbitraries.integers().map(NODES::numberNode),
        () -> Arbitraries.longs().map(NODES::numberNode),
        () -> Arbitraries.bigIntegers().map(NODES::numberNode),
        () -> Arbitraries.doubles().map(NODES::numberNode),
        () -> Arbitraries.floats().map(NODES::numberNode),
        () -> Arbitraries.bigDecimals().map(NODES::numberNode),
        () -> Arbitraries.shorts().map(NODES::numberNode),
        () -> Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()),
        () -> values().list().ofMaxSize(4).map(this::array),
        () -> objects().map(o -> (JsonNode) o));
  }

  @Provide
  Arbitrary<ObjectNode> objects() {
    return Arbitraries.maps(texts(), values()).ofMaxSize(5).map(this::object);
  }

  private JsonNode array(List<JsonNode> items) {
    return NODES.arrayNode().addAll(items);
  }

  private ObjectNode object(java.util.Map<String, JsonNode> fields) {
    ObjectNode o = NODES.objectNode();
    o.put("type", "apply_event");
    fields.forEach(o::set);
    return o;
  }

  @Property(tries = 1000)
  void sameBytesAsTheMapper(@ForAll("objects") ObjectNode body) throws Exception {
    assertThat(payload(body)).isEqualTo(mapper.writeValueAsBytes(body));
  }

  @Test
  void aTypicalApplyEntry() throws Exception {
    ObjectNode body = NODES.objectNode();
    body.put("type", "apply_event").put("instance_id", "bench-1-0-7").put("version", 1L);
    body.putObject("payload").put("data", "x".repeat(189)).put("n", 1.5);
    body.putObject("ctx")
        .put("data", "é\"\\\n\ud83d\ude00")
        .put("big", new BigInteger("1" + "0".repeat(30)));
    body.putNull("event_id");
    body.putArray("list").add(new BigDecimal("1.50")).add(false).addNull().addArray();
    body.put("ts", 1_767_225_600_000L);
    assertThat(payload(body)).isEqualTo(mapper.writeValueAsBytes(body));
  }

  @Test
  void everyEntryFieldNameAlsoInsideCtx() throws Exception {
    ObjectNode body = NODES.objectNode().put("type", "put_machine");
    for (String name :
        List.of(
            "instance_id",
            "machine",
            "version",
            "event",
            "from_state",
            "to_state",
            "payload",
            "event_id",
            "idempotency_key",
            "ts",
            "definition_hash",
            "definition",
            "initial_state",
            "initial_ctx")) {
      body.put(name, name);
    }
    body.putObject("ctx").put("type", 1).put("ts", "x").put("other", true);
    assertThat(payload(body)).isEqualTo(mapper.writeValueAsBytes(body));
  }

  @Test
  void treesWithOtherNodesGoThroughTheMapper() throws Exception {
    ObjectNode body = NODES.objectNode().put("type", "apply_event");
    body.putPOJO("pojo", List.of(1, 2));
    body.put("bin", new byte[] {1, 2, 3});
    assertThat(new String(payload(body), "UTF-8"))
        .isEqualTo("{\"type\":\"apply_event\",\"pojo\":[1,2],\"bin\":\"AQID\"}");
  }

  @Test
  void veryDeepTreesToo() throws Exception {
    ObjectNode body = NODES.objectNode().put("type", "apply_event");
    ObjectNode at = body;
    for (int i = 0; i < 300; i++) {
      at = at.putObject("d");
    }
    assertThat(payload(body)).isEqualTo(mapper.writeValueAsBytes(body));
  }
}
