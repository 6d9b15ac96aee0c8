package io.rstmdb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The encoder skips parsing items back only where reading back cannot fail. */
class ItemCodecTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ItemCodec codec = new ItemCodec();

  private byte[] encode(JsonNode item) {
    ItemCodec.Buffer b = codec.newEncoder().encode(item);
    return Arrays.copyOf(b.bytes(), b.size());
  }

  @Test
  void plainAndMultiByteTextNeedsNoReadBack() {
    byte[] bytes = "{\"id\":\"é€😀\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(ItemCodec.mayNotReadBack(bytes, bytes.length)).isFalse();
  }

  @Test
  void anEdByteAnywhereAsksForTheReadBack() {
    byte[] hangul = "\uD7A3".getBytes(StandardCharsets.UTF_8); // ED 9E A3
    assertThat(ItemCodec.mayNotReadBack(hangul, hangul.length)).isTrue();
    assertThat(ItemCodec.mayNotReadBack(hangul, 0)).isFalse();
  }

  @Test
  void anEscapedSurrogateAsksForTheReadBack() {
    byte[] upper = "{\"\\uD800\":1}".getBytes(StandardCharsets.US_ASCII);
    byte[] lower = "{\"\\udfff\":1}".getBytes(StandardCharsets.US_ASCII);
    byte[] notSurrogate = "{\"\\u00e9\\uE000\\uD\":1}".getBytes(StandardCharsets.US_ASCII);
    assertThat(ItemCodec.mayNotReadBack(upper, upper.length)).isTrue();
    assertThat(ItemCodec.mayNotReadBack(lower, lower.length)).isTrue();
    assertThat(ItemCodec.mayNotReadBack(notSurrogate, notSurrogate.length)).isFalse();
  }

  @Test
  void loneSurrogatesInNamesAreRefusedInValuesKept() throws Exception {
    ObjectNode badName = NODES.objectNode().put("a\uDC00b", 1);
    assertThatThrownBy(() -> encode(badName)).hasMessageContaining("would not read back");
    ObjectNode loneInValue = NODES.objectNode().put("k", "x\uD800y");
    assertThat(codec.decode(encode(loneInValue))).isEqualTo(loneInValue);
  }

  @Test
  void textJustBelowTheSurrogatesStillReadsBack() throws Exception {
    ObjectNode hangul = NODES.objectNode().put("\uD7A3", "\uD7FF");
    assertThat(codec.decode(encode(hangul))).isEqualTo(hangul);
  }

  /** Around the depth limit, an item is either refused when written or reads back equal. */
  @ParameterizedTest
  @ValueSource(ints = {998, 999, 1000, 1001, 1002})
  void depthLimitIsTheSameForWritingAndReading(int depth) throws Exception {
    ArrayNode root = NODES.arrayNode();
    ArrayNode cur = root;
    for (int i = 1; i < depth; i++) {
      cur = cur.addArray();
    }
    byte[] bytes;
    try {
      bytes = encode(root);
    } catch (IllegalArgumentException refused) {
      assertThat(depth).isGreaterThan(ItemCodec.MAX_NESTING_DEPTH);
      return;
    }
    assertThat(codec.decode(bytes)).isEqualTo(root);
  }
}
