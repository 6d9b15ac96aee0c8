package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PackedJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void aParsedCtxIsHeldAsItsJacksonBytesInInsertionOrder() throws Exception {
    JsonNode ctx = MAPPER.readTree("{\"b\":1,\"a\":[2.5,\"x\\ny\",null,true],\"é\":{\"z\":-0.0}}");
    PackedJson packed = PackedJson.of(ctx);
    assertThat(packed).isInstanceOf(PackedJson.Bytes.class);
    assertThat(new String(packed.jsonOrNull(), StandardCharsets.UTF_8))
        .isEqualTo("{\"b\":1,\"a\":[2.5,\"x\\ny\",null,true],\"é\":{\"z\":-0.0}}");
    assertThat(packed.tree()).isEqualTo(ctx);
    assertThat(packed.tree().fieldNames()).toIterable().containsExactly("b", "a", "é");
  }

  @Test
  void numbersComeBackAsTheNodeTypesAParserBuilds() throws Exception {
    JsonNode ctx =
        MAPPER.readTree(
            "{\"i\":7,\"l\":5000000000,\"big\":123456789012345678901234567890,\"d\":1e300}");
    JsonNode back = PackedJson.of(ctx).tree();
    assertThat(back.get("i").isInt()).isTrue();
    assertThat(back.get("l").isLong()).isTrue();
    assertThat(back.get("big").isBigInteger()).isTrue();
    assertThat(back.get("d").isDouble()).isTrue();
    assertThat(back).isEqualTo(ctx);
  }

  @Test
  void nodesAParserNeverBuildsAreKeptAsTrees() {
    ObjectNode odd = NODES.objectNode();
    odd.put("f", 1.5f);
    assertThat(PackedJson.of(odd)).isEqualTo(new PackedJson.Tree(odd));
    assertThat(PackedJson.of(NODES.numberNode(5L))).isInstanceOf(PackedJson.Tree.class);
    assertThat(PackedJson.of(NODES.numberNode(new BigDecimal("1.50"))))
        .isInstanceOf(PackedJson.Tree.class);
    assertThat(PackedJson.of(NODES.numberNode(Double.NaN))).isInstanceOf(PackedJson.Tree.class);
    assertThat(PackedJson.of(NODES.pojoNode(new Object()))).isInstanceOf(PackedJson.Tree.class);
    ObjectNode loneSurrogateKey = NODES.objectNode();
    loneSurrogateKey.put("\uD800", 1);
    assertThat(PackedJson.of(loneSurrogateKey).jsonOrNull()).isNull();
    assertThat(PackedJson.of(loneSurrogateKey).tree()).isSameAs(loneSurrogateKey);
  }

  @Test
  void veryDeepTreesAreKeptAsTrees() {
    JsonNode deep = NODES.objectNode();
    for (int i = 0; i < PackedJsonCodec.MAX_DEPTH + 5; i++) {
      ObjectNode outer = NODES.objectNode();
      outer.set("n", deep);
      deep = outer;
    }
    assertThat(PackedJson.of(deep)).isInstanceOf(PackedJson.Tree.class);
    JsonNode shallow = deep;
    for (int i = 0; i < 10; i++) {
      shallow = shallow.get("n");
    }
    assertThat(PackedJson.of(shallow)).isInstanceOf(PackedJson.Bytes.class);
    assertThat(PackedJson.of(shallow).tree()).isEqualTo(shallow);
  }

  @Test
  void aFreshValueKeepsItsTreeUntilPacked() throws Exception {
    JsonNode ctx = MAPPER.readTree("{\"b\":1,\"a\":2}");
    PackedJson fresh = PackedJson.fresh(ctx);
    assertThat(fresh.tree()).isSameAs(ctx);
    assertThat(fresh.jsonOrNull()).isNull();
    assertThat(fresh.writableNode()).isSameAs(ctx);
    assertThat(fresh.packed()).isEqualTo(PackedJson.of(ctx)).isInstanceOf(PackedJson.Bytes.class);
    assertThat(PackedJson.of(ctx).packed()).isEqualTo(PackedJson.of(ctx));
  }

  @Test
  void eachUnpackIsAFreshTree() throws Exception {
    PackedJson packed = PackedJson.of(MAPPER.readTree("{\"a\":1}"));
    ObjectNode first = (ObjectNode) packed.tree();
    first.put("a", 2);
    assertThat(packed.tree().get("a").intValue()).isEqualTo(1);
  }

  @Test
  void nullAndEqualityByBytes() throws Exception {
    assertThat(PackedJson.nullValue().tree().isNull()).isTrue();
    assertThat(PackedJson.of(NODES.nullNode())).isEqualTo(PackedJson.nullValue());
    assertThat(PackedJson.of(MAPPER.readTree("{\"a\":1,\"b\":2}")))
        .isNotEqualTo(PackedJson.of(MAPPER.readTree("{\"b\":2,\"a\":1}")));
    assertThat(PackedJson.of(MAPPER.readTree("{\"a\":1}")).toString()).isEqualTo("{\"a\":1}");
  }
}
