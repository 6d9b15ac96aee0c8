package io.rstmdb.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The copier's bytes must be exactly what the tree path gives: parse with a default ObjectMapper
 * (as the WAL does), then {@link CanonicalJsonWriter}. Stored bodies are Jackson's own output, so
 * most cases here are built that way; hand-written JSON covers what other writers could produce.
 */
class StoredJsonCopierTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String PREFIX = "[\"before\",";

  /** The old path: tree, then the canonical writer. */
  private static String viaTree(byte[] json) throws Exception {
    JsonNode tree = MAPPER.readTree(json);
    ByteBuf buf = Unpooled.buffer();
    CanonicalJsonWriter.write(tree, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** The copier's output, or null when it refuses (checking it then left the buffer alone). */
  private static String viaCopier(byte[] json) {
    CanonicalJsonBuffer out = new CanonicalJsonBuffer(4);
    out.ascii(PREFIX);
    boolean copied = out.storedObject(json);
    String all = out.toString();
    if (!copied) {
      assertThat(all).isEqualTo(PREFIX);
      return null;
    }
    assertThat(all).startsWith(PREFIX);
    return all.substring(PREFIX.length());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** An apply_event body as the engine builds it (insertion order, not sorted). */
  private static ObjectNode applyEvent(String instance, JsonNode payload, JsonNode ctx) {
    ObjectNode body = NODES.objectNode();
    body.put("type", "apply_event");
    body.put("instance_id", instance);
    body.put("machine", "order");
    body.put("version", 1);
    body.put("event", "PAY");
    body.put("from_state", "created");
    body.put("to_state", "paid");
    body.set("payload", payload);
    body.set("ctx", ctx);
    body.put("event_id", "e-1");
    body.put("ts", 1767225600000L);
    return body;
  }

  private static void assertCopiedExactly(byte[] json) throws Exception {
    assertThat(viaCopier(json)).as(new String(json, StandardCharsets.UTF_8)).isNotNull();
    assertThat(viaCopier(json)).isEqualTo(viaTree(json));
  }

  @Test
  void entriesAsTheEngineStoresThemAreCopiedExactly() throws Exception {
    ObjectNode payload = NODES.objectNode();
    payload.put("zeta", "last");
    payload.put("amount", 99.99);
    payload.put("big", 1e21);
    payload.put("small", 1.0e-7);
    payload.put("negzero", -0.0);
    payload.put("whole", 2.0);
    payload.put("neg", -42);
    payload.put("max", Long.MAX_VALUE);
    payload.put("min", Long.MIN_VALUE);
    payload.putNull("nothing");
    payload.put("yes", true).put("no", false);
    payload.putArray("list").add(3).add("two").addNull().add(1.5).addArray();
    payload.putObject("empty");
    ObjectNode ctx = NODES.objectNode();
    ctx.put("café", "naïve – 中文 – 😀 – \uD834\uDD1E");
    ctx.put("escapes", "quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f");
    ctx.put("controls", "\u0000\u0001\u000b\u000e\u001a\u001f\u007f");
    ctx.put("separators", "\u2028\u2029\uFEFF\uFFFF");
    ctx.put("\uFFFF", 1).put("\uD83D\uDE00", 2).put("é", 3).put("z", 4).put("Z", 5).put("", 6);
    ctx.putObject("nested").put("b", 1).putObject("a").put("y", 1).put("x", 2);
    assertCopiedExactly(MAPPER.writeValueAsBytes(applyEvent("o-1", payload, ctx)));
    assertCopiedExactly(
        MAPPER.writeValueAsBytes(applyEvent("i-1", NODES.nullNode(), NODES.objectNode())));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        " { \"b\" : 1 ,\n\t\"a\" : [ 1 , 2 , { } , [ ] ] } ",
        "{\"a\":\"\\u00e9\\u4e2d\\ud83d\\ude00\\/\\u0041\\u001F\\u001f\\u007F\"}",
        "{\"a\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0022\\u005C\\u005c\"}",
        "{\"n\":[0,-0,-1,123456789012345678,-123456789012345678,1.0,1e2,1E+2,1e-2,-0.0,0.1]}",
        "{\"n\":[1.7976931348623157e308,4.9e-324,5e-324,2e23,1e400,-1e400,123.456e-789]}",
        "{\"n\":[100000000000000000.0,1e16,1e17,0.0001,0.00001,12345678.9e10]}",
        "{\"t\":true,\"f\":false,\"z\":null}",
        "{\"n\":[9223372036854775807,-9223372036854775808,18446744073709551615]}",
        "{\"\\u0061\":1,\"\\ud83d\\ude00\":2,\"\\uFFFF\":3,\"\\/\":4}",
        "{\"b\":{\"d\":1,\"c\":{\"f\":[{\"h\":1,\"g\":2}],\"e\":0}},\"a\":0}",
      })
  void handWrittenJsonIsCopiedExactly(String json) throws Exception {
    assertCopiedExactly(utf8(json));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[1]", // not an object
        "\"x\"",
        "{\"a\":1,\"a\":2}", // duplicate keys: the tree keeps the last
        "{\"b\":1,\"a\":2,\"b\":3}",
        "{\"\\n\":1}", // keys whose characters need escaping
        "{\"\\u0022\":1}",
        "{\"a\":\"\\ud83d\"}", // lone surrogates
        "{\"a\":\"\\ude00\"}",
        "{\"a\":\"\\ud83dx\"}",
        "{\"a\":18446744073709551616}", // beyond u64: the tree reads a double
        "{\"a\":-9223372036854775809}",
        "{\"a\":1}x", // trailing bytes
        "{\"a\":1", // truncated
        "{\"a\":\"abc",
        "{\"a\":01}", // not JSON
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":1e}",
        "{\"a\":+1}",
        "{\"a\":tru}",
        "{\"a\":nulll}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12g4\"}",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{\"a\":[1,]}",
        "{a:1}",
        "",
      })
  void whatItCannotVouchForIsRefused(String json) {
    assertThat(viaCopier(utf8(json))).isNull();
  }

  @Test
  void invalidUtf8AndRawControlCharactersAreRefused() {
    List<byte[]> bad =
        List.of(
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'},
            new byte[] {
              '{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'
            },
            new byte[] {
              '{',
              '"',
              'a',
              '"',
              ':',
              '"',
              (byte) 0xF4,
              (byte) 0x90,
              (byte) 0x80,
              (byte) 0x80,
              '"',
              '}'
            },
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE4, (byte) 0xB8, '"', '}'},
            new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'},
            new byte[] {'{', '"', 'a', '"', ':', '"', 1, '"', '}'},
            new byte[] {'{', '"', 'a', '\n', '"', ':', '1', '}'});
    for (byte[] json : bad) {
      assertThat(viaCopier(json)).isNull();
    }
  }

  @Test
  void specialCharactersAtEveryPositionOfAnEightByteBlock() throws Exception {
    List<String> specials =
        List.of("\"", "\\", "\u0001", "\n", "\u007f", " ", "~", "é", "中", "😀", "\u2028");
    for (String special : specials) {
      for (int before = 0; before <= 17; before++) {
        for (int after : new int[] {0, 1, 7, 8, 9}) {
          // The string ends two bytes before the input does, so 8-byte reads meet its end too.
          ObjectNode o = NODES.objectNode();
          o.put("k", "a".repeat(before) + special + "b".repeat(after));
          assertCopiedExactly(MAPPER.writeValueAsBytes(o));
        }
      }
    }
  }

  @Test
  void deepNestingIsLeftToTheTree() throws Exception {
    String shallow = "{\"a\":".repeat(150) + "1" + "}".repeat(150);
    assertCopiedExactly(utf8(shallow));
    String deep = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
    assertThat(viaCopier(utf8(deep))).isNull();
  }

  @Test
  void bigObjectsAreSortedToo() throws Exception {
    ObjectNode o = NODES.objectNode();
    for (int i = 500; i > 0; i--) {
      o.put("k" + i, i);
    }
    assertCopiedExactly(MAPPER.writeValueAsBytes(o));
  }

  @Test
  void duplicatesInBigUnsortedObjectsAreRefused() {
    StringBuilder json = new StringBuilder("{");
    for (int i = 100; i > 0; i--) {
      json.append("\"k").append(i).append("\":").append(i).append(',');
    }
    json.append("\"k50\":0}");
    assertThat(viaCopier(utf8(json.toString()))).isNull();
  }

  @Test
  void bigIntegersTheTreeKeepsAreStillRightThroughTheFallback() throws Exception {
    byte[] json = utf8("{\"a\":" + BigInteger.TWO.pow(70) + "}");
    assertThat(viaCopier(json)).isNull();
    assertThat(viaTree(json)).isEqualTo("{\"a\":1.1805916207174113e21}");
  }

  @Property(tries = 500)
  void anyTreeJacksonWritesIsCopiedExactly(@ForAll("objects") ObjectNode tree) throws Exception {
    byte[] json = MAPPER.writeValueAsBytes(tree);
    if (hasKeyNeedingEscape(tree)) {
      String copied = viaCopier(json);
      if (copied != null) {
        assertThat(copied).isEqualTo(viaTree(json));
      }
    } else {
      assertCopiedExactly(json);
    }
  }

  /** Keys with quotes, backslashes or control characters are left to the tree by design. */
  private static boolean hasKeyNeedingEscape(JsonNode node) {
    for (JsonNode child : node) {
      if (hasKeyNeedingEscape(child)) {
        return true;
      }
    }
    if (node.isObject()) {
      for (String key : (Iterable<String>) node::fieldNames) {
        if (key.chars().anyMatch(c -> c < 0x20 || c == '"' || c == '\\')) {
          return true;
        }
      }
    }
    return false;
  }

  @Provide
  Arbitrary<ObjectNode> objects() {
    return Arbitraries.lazyOf(() -> object(3));
  }

  private static Arbitrary<ObjectNode> object(int depth) {
    return member(depth)
        .list()
        .ofMaxSize(6)
        .map(
            members -> {
              ObjectNode o = NODES.objectNode();
              members.forEach(m -> o.set(m.key(), m.value()));
              return o;
            });
  }

  private record Member(String key, JsonNode value) {}

  private static Arbitrary<Member> member(int depth) {
    return Combinators.combine(text(), value(depth)).as(Member::new);
  }

  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().ofMaxLength(4),
        Arbitraries.strings().all().ofMaxLength(6).filter(StoredJsonCopierTest::wellFormed),
        Arbitraries.of("😀", "\uD834\uDD1E", "é", "\u0000", "\u001f", "\"\\", "\u007f"));
  }

  /** Jackson cannot write lone surrogates at all, so they never reach a stored body. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            text().map(NODES::textNode),
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.integers().between(-1000, 1000).map(NODES::numberNode),
            Arbitraries.doubles().map(NODES::numberNode),
            Arbitraries.of(1e-7, 1e21, 1e22, -0.0, 0.0, 1e16, 123456.789, Double.MIN_VALUE)
                .map(NODES::numberNode),
            Arbitraries.of(NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> array =
        value(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                items -> {
                  ArrayNode a = NODES.arrayNode();
                  items.forEach(a::add);
                  return a;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaf),
        net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(1, object(depth - 1).map(o -> (JsonNode) o)));
  }
}
