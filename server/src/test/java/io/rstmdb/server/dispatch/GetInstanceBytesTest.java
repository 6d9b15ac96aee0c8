package io.rstmdb.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.json.PackedJson;
import io.rstmdb.protocol.message.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET_INSTANCE copies a packed ctx's bytes into canonical form instead of walking a tree; the
 * response must be byte for byte what the tree gives.
 */
class GetInstanceBytesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MessageCodec codec = new MessageCodec();
  private final ResultJson json = new ResultJson(MAPPER);

  private String response(JsonNode result) {
    ByteBuf buf = codec.encodeOk(UnpooledByteBufAllocator.DEFAULT, "7", result);
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  private static InstanceView view(JsonNode ctx, PackedJson packed) {
    return new InstanceView("o-1", "order", 1, "paid", ctx, "e-1", 4, 10, 20, packed);
  }

  @Test
  void aPackedCtxGivesTheSameResponseAsItsTree() throws Exception {
    for (String ctx :
        List.of(
            "{}",
            "{\"b\":1,\"a\":{\"z\":[1,2.50,\"x\\u0001\"],\"y\":null},\"é\":\"😀\",\"n\":1e21}",
            "{\"payload\":\"" + "x".repeat(200) + "\",\"count\":-12345678901}",
            "[1,2]",
            "\"text\"",
            "null")) {
      JsonNode tree = MAPPER.readTree(ctx);
      PackedJson packed = PackedJson.of(tree);
      assertThat(packed.jsonOrNull()).as(ctx).isNotNull();
      String viaTree = response(json.getInstance(view(tree, null)));
      String viaBytes = response(json.getInstance(view(null, packed)));
      assertThat(viaBytes).as(ctx).isEqualTo(viaTree);
    }
  }

  @Test
  void theCtxIsCopiedNotParsedWhenPacked() throws Exception {
    PackedJson packed = PackedJson.of(MAPPER.readTree("{\"b\":1,\"a\":2}"));
    ObjectNode result = json.getInstance(view(null, packed));
    assertThat(result.get("ctx").isPojo()).isTrue();
    assertThat(response(result)).contains("\"ctx\":{\"a\":2,\"b\":1}");
  }

  @Test
  void aViewWithoutCtxAnswersAnEmptyObject() {
    InstanceView none = view(null, null);
    assertThat(response(json.getInstance(none))).contains("\"ctx\":{}");
    PackedJson tree = PackedJson.of(JsonNodeFactory.instance.numberNode(1.5f));
    assertThat(response(json.getInstance(view(null, tree)))).contains("\"ctx\":1.5");
  }
}
