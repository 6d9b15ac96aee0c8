package io.rstmdb.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.Op;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  private final MessageCodec codec = new MessageCodec();
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  @Test
  void decodesTheGoldenPingRequest() {
    Request request = decode("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\",\"params\":{}}");
    assertThat(request.id()).isEqualTo("1");
    assertThat(request.op()).isEqualTo("PING");
    assertThat(request.knownOp()).contains(Op.PING);
    assertThat(request.params().isObject()).isTrue();
    assertThat(request.params().size()).isZero();
  }

  @Test
  void absentOrNullParamsBecomeAnEmptyObject() {
    assertThat(decode("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}").params())
        .isEqualTo(codec.mapper().createObjectNode());
    assertThat(decode("{\"id\":\"1\",\"op\":\"INFO\",\"params\":null}").params())
        .isEqualTo(codec.mapper().createObjectNode());
  }

  @Test
  void keepsNonObjectParamsForTheServerToJudge() {
    assertThat(decode("{\"id\":\"1\",\"op\":\"PING\",\"params\":[1,2]}").params().isArray())
        .isTrue();
  }

  @Test
  void unknownOpAndUnknownFieldsAreNotDecodingErrors() {
    Request request = decode("{\"id\":\"\",\"op\":\"FROBNICATE\",\"extra\":{\"x\":[1]}}");
    assertThat(request.id()).isEmpty();
    assertThat(request.op()).isEqualTo("FROBNICATE");
    assertThat(request.knownOp()).isEmpty();
  }

  @Test
  void fieldOrderInTheEnvelopeDoesNotMatter() {
    Request request = decode("{\"params\":{\"a\":1},\"op\":\"GET_INSTANCE\",\"id\":\"9\"}");
    assertThat(request.id()).isEqualTo("9");
    assertThat(request.params().path("a").asInt()).isEqualTo(1);
  }

  @Test
  void duplicateEnvelopeKeysAreRejected() {
    assertMalformed("{\"id\":\"1\",\"id\":\"2\",\"op\":\"PING\"}", "1", "duplicate field `id`");
    assertMalformed("{\"id\":\"1\",\"op\":\"PING\",\"op\":\"INFO\"}", "1", "duplicate field `op`");
    assertMalformed(
        "{\"id\":\"1\",\"op\":\"PING\",\"params\":{},\"params\":{}}", "1", "duplicate field");
    // A duplicate before the id still gets the id (a client matches answers by it).
    assertMalformed(
        "{\"type\":\"request\",\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}",
        "1",
        "duplicate field `type`");
  }

  @Test
  void duplicateKeysInsideParamsLetTheLastWin() {
    Request request = decode("{\"id\":\"1\",\"op\":\"X\",\"params\":{\"a\":1,\"a\":2}}");
    assertThat(request.params().path("a").asInt()).isEqualTo(2);
  }

  @Test
  void rejectsNonObjects() {
    assertMalformed("[1,2]", null, "must be a JSON object");
    assertMalformed("\"PING\"", null, "must be a JSON object");
    assertMalformed("", null, "must be a JSON object");
  }

  @Test
  void rejectsInvalidJsonKeepingTheIdWhenAlreadyRead() {
    assertMalformed("{\"id\":\"5\",\"op\":\"PING\",", "5", "invalid JSON");
    assertMalformed("{\"id\":\"5\" \"op\"}", "5", "invalid JSON");
    assertMalformed("{\"id\":\"5\",\"op\":\"PING\"} trailing", "5", "");
  }

  @Test
  void invalidJsonIsDescribedWithoutTheParsersConfigurationHints() {
    for (String json :
        List.of(
            "{\"id\":\"5\",\"op\":\"PING\"",
            "{\"id\":\"5\",\"op\":\"PING\",\"params\":{\"n\":NaN}}",
            "{\"id\":\"5\",/*x*/\"op\":\"PING\"}")) {
      assertThatThrownBy(() -> decode(json))
          .isInstanceOf(MalformedRequestException.class)
          .hasMessageStartingWith("invalid JSON: ")
          .hasMessageContaining(" at line 1, column ")
          .hasMessageNotContaining("Feature")
          .hasMessageNotContaining("Source")
          .hasMessageNotContaining("enable");
    }
    assertThatThrownBy(() -> decode("{\"id\":\"5\",\"op\":\"PING\",\"params\":{\"n\":NaN}}"))
        .hasMessageContaining("non-standard token 'NaN' (JSON numbers are finite) at line 1");
    assertThatThrownBy(() -> decode("{\"id\":\"5\",/*x*/\"op\":\"PING\"}"))
        .hasMessageContaining("unexpected '/', JSON has no comments at line 1");
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] bad =
        "{\"id\":\"1\",\"op\":\"PING\",\"params\":{\"s\":\"xx\"}}".getBytes(StandardCharsets.UTF_8);
    int quote = new String(bad, StandardCharsets.ISO_8859_1).indexOf("xx");
    bad[quote] = (byte) 0xC3; // a lead byte followed by ASCII: not UTF-8
    assertThatThrownBy(() -> codec.decodeRequest(Unpooled.wrappedBuffer(bad)))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("invalid JSON")
        .extracting(e -> ((MalformedRequestException) e).requestId())
        .isEqualTo("1");
  }

  @Test
  void rejectsNumbersBeyondDoubleRange() {
    assertMalformed("{\"id\":\"1\",\"op\":\"X\",\"params\":{\"a\":1e400}}", "1", "out of range");
    assertMalformed("{\"id\":\"1\",\"op\":\"X\",\"params\":[-1e999]}", "1", "out of range");
    assertThat(
            decode("{\"id\":\"1\",\"op\":\"X\",\"params\":{\"a\":1e308}}")
                .params()
                .path("a")
                .doubleValue())
        .isEqualTo(1e308);
  }

  @Test
  void rejectsIntegerLiteralsBeyondDoubleRange() {
    // 10^309 written as plain digits overflows a double just like 1e309; it used to be accepted
    // as a BigIntegerNode and then stored and returned as null.
    String big = "1" + "0".repeat(309);
    assertMalformed(
        "{\"id\":\"1\",\"op\":\"X\",\"params\":{\"a\":" + big + "}}", "1", "out of range");
    assertMalformed("{\"id\":\"1\",\"op\":\"X\",\"params\":[-" + big + "]}", "1", "out of range");
    String fits = "1" + "0".repeat(308);
    assertThat(
            decode("{\"id\":\"1\",\"op\":\"X\",\"params\":{\"a\":" + fits + "}}")
                .params()
                .path("a")
                .doubleValue())
        .isEqualTo(1e308);
  }

  @Test
  void streamLimitsOtherThanNestingAreNotReportedAsNesting() {
    String longNumber = "1" + "0".repeat(1200);
    assertThatThrownBy(
            () -> decode("{\"id\":\"n\",\"op\":\"X\",\"params\":{\"a\":" + longNumber + "}}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageNotContaining("nesting");
    String longName = "k".repeat(60_000);
    assertThatThrownBy(
            () -> decode("{\"id\":\"n\",\"op\":\"X\",\"params\":{\"" + longName + "\":1}}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageNotContaining("nesting");
  }

  @Test
  void idMustBeAString() {
    assertMalformed("{\"id\":1,\"op\":\"PING\"}", null, "`id` must be a string");
    assertMalformed("{\"op\":\"PING\"}", null, "missing field `id`");
  }

  @Test
  void opMustBeAString() {
    assertMalformed("{\"id\":\"3\"}", "3", "missing field `op`");
    assertMalformed("{\"id\":\"3\",\"op\":null}", "3", "`op` must be a string");
    assertMalformed("{\"id\":\"3\",\"op\":{\"x\":1}}", "3", "`op` must be a string");
  }

  @Test
  void deepNestingIsRejectedWithTheIdWhenReadable() {
    String deep = "[".repeat(70) + "]".repeat(70);
    assertMalformed("{\"id\":\"d\",\"op\":\"X\",\"params\":" + deep + "}", "d", "nesting");
    assertMalformed("{\"params\":" + deep + ",\"id\":\"d\",\"op\":\"X\"}", null, "nesting");
  }

  @Test
  void nestingJustUnderTheCapIsAccepted() {
    // envelope (1) + params object (2) + 62 arrays = 64 levels
    String nested = "[".repeat(62) + "]".repeat(62);
    Request request = decode("{\"id\":\"d\",\"op\":\"X\",\"params\":{\"a\":" + nested + "}}");
    assertThat(request.params().has("a")).isTrue();
  }

  @Test
  void decodingDoesNotConsumeOrReleaseThePayload() {
    ByteBuf payload = utf8("{\"id\":\"1\",\"op\":\"PING\"}");
    codec.decodeRequest(payload);
    assertThat(payload.readerIndex()).isZero();
    assertThat(payload.refCnt()).isEqualTo(1);
    payload.release();
  }

  @Test
  void decodesDirectBuffers() {
    ByteBuf direct = Unpooled.directBuffer();
    direct.writeCharSequence("{\"id\":\"ü\",\"op\":\"PING\"}", StandardCharsets.UTF_8);
    assertThat(codec.decodeRequest(direct).id()).isEqualTo("ü");
    direct.release();
  }

  @Test
  void decodesSmallAndLargeDirectSlicesWithoutConsumingThem() {
    // Small payloads are copied into an array to parse, large ones streamed: same result.
    for (int size : new int[] {10, 200_000}) {
      String body =
          "{\"id\":\"7\",\"op\":\"PING\",\"params\":{\"s\":\"" + "y".repeat(size) + "\"}}";
      ByteBuf direct = Unpooled.directBuffer();
      direct.writeCharSequence("xx" + body, StandardCharsets.UTF_8);
      ByteBuf slice = direct.slice(2, direct.readableBytes() - 2);
      Request r = codec.decodeRequest(slice);
      assertThat(r.id()).isEqualTo("7");
      assertThat(r.params().get("s").textValue()).hasSize(size);
      assertThat(slice.readerIndex()).isZero();
      direct.release();
    }
  }

  @Test
  void okResponseMatchesTheGoldenVector() {
    ObjectNode result = codec.mapper().createObjectNode().put("pong", true);
    assertThat(text(codec.encodeOk(alloc, "1", result)))
        .isEqualTo(
            "{\"type\":\"response\",\"id\":\"1\",\"status\":\"ok\",\"result\":{\"pong\":true}}");
  }

  @Test
  void anIdWithALoneSurrogateComesBackAsSent() throws Exception {
    // No UTF-8 form: written plainly it became "?", and the client never matched its answer.
    String id =
        decode(
                "{\"type\":\"request\",\"id\":\"a\\ud800b\\udc00\\ud83d\\ude00\\n\",\"op\":\"PING\"}")
            .id();
    String answer = text(codec.encodeOk(alloc, id, null));
    assertThat(answer)
        .startsWith("{\"type\":\"response\",\"id\":\"a\\ud800b\\udc00\ud83d\ude00\\n\",");
    assertThat(codec.mapper().readTree(answer).get("id").textValue()).isEqualTo(id);
    assertThat(text(codec.encodeError(alloc, id, WireError.of(ErrorCode.BAD_REQUEST, "x"))))
        .contains("\"id\":\"a\\ud800b\\udc00");
  }

  @Test
  void resultKeysAreSortedAtEveryLevel() {
    ObjectNode result = codec.mapper().createObjectNode();
    result.put("zeta", 1);
    ObjectNode nested = result.putObject("alpha");
    nested.put("y", "b").put("x", "a");
    result.putArray("mid").addObject().put("q", 1).put("p", 2);
    assertThat(text(codec.encodeOk(alloc, "7", result)))
        .isEqualTo(
            "{\"type\":\"response\",\"id\":\"7\",\"status\":\"ok\",\"result\":"
                + "{\"alpha\":{\"x\":\"a\",\"y\":\"b\"},\"mid\":[{\"p\":2,\"q\":1}],\"zeta\":1}}");
  }

  @Test
  void nullResultIsAnEmptyObject() {
    assertThat(text(codec.encodeOk(alloc, "1", null))).endsWith("\"result\":{}}");
  }

  @Test
  void errorResponseHasTheFixedFieldOrderAndNoEmptyDetails() {
    WireError error =
        WireError.of(ErrorCode.INSTANCE_NOT_FOUND, "core error: instance not found: o-9");
    assertThat(text(codec.encodeError(alloc, "42", error)))
        .isEqualTo(
            "{\"type\":\"response\",\"id\":\"42\",\"status\":\"error\",\"error\":{\"code\":"
                + "\"INSTANCE_NOT_FOUND\",\"message\":\"core error: instance not found: o-9\","
                + "\"retryable\":false}}");
  }

  @Test
  void errorWithNullIdAndDetails() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("wal_offset", 17L);
    details.put("oldest_offset", 5L);
    WireError error = new WireError(ErrorCode.WAL_IO_ERROR, "gone \"now\"", details);
    assertThat(text(codec.encodeError(alloc, null, error)))
        .isEqualTo(
            "{\"type\":\"response\",\"id\":null,\"status\":\"error\",\"error\":{\"code\":"
                + "\"WAL_IO_ERROR\",\"message\":\"gone \\\"now\\\"\",\"retryable\":true,"
                + "\"details\":{\"oldest_offset\":5,\"wal_offset\":17}}}");
  }

  @Test
  void eventKeepsItsFieldOrderButSortsInsideValues() {
    ObjectNode event = codec.mapper().createObjectNode();
    event.put("type", "ignored");
    event.put("subscription_id", "sub-1");
    event.put("instance_id", "o-1");
    event.put("machine", "order");
    event.put("version", 1);
    event.put("wal_offset", 12L);
    event.put("from_state", "created");
    event.put("to_state", "paid");
    event.put("event", "PAY");
    event.putNull("payload");
    event.putObject("ctx").put("customer", "alice").put("amount", 10);
    assertThat(text(codec.encodeEvent(alloc, event)))
        .isEqualTo(
            "{\"type\":\"event\",\"subscription_id\":\"sub-1\",\"instance_id\":\"o-1\","
                + "\"machine\":\"order\",\"version\":1,\"wal_offset\":12,\"from_state\":\"created\","
                + "\"to_state\":\"paid\",\"event\":\"PAY\",\"payload\":null,"
                + "\"ctx\":{\"amount\":10,\"customer\":\"alice\"}}");
  }

  @Test
  void requestEncodingMatchesTheGoldenVectorAndDecodesBack() {
    ByteBuf request = codec.encodeRequest(alloc, "1", "PING", null);
    assertThat(request.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\",\"params\":{}}");
    ObjectNode params = codec.mapper().createObjectNode().put("instance_id", "o\n1");
    ByteBuf apply = codec.encodeRequest(alloc, "2", "APPLY_EVENT", params);
    Request back = codec.decodeRequest(apply);
    assertThat(back.params()).isEqualTo(params);
    request.release();
    apply.release();
  }

  @Test
  void aPreparedRequestIsByteForByteTheRequestACallSends() {
    ObjectNode params = codec.mapper().createObjectNode().put("z", 1.5).put("a", "é\n");
    params.putArray("list").add(true).addNull().add(-0L);
    params.putObject("nested").put("y", "x").put("b", 2);
    assertThat(text(codec.encodePreparedRequest(alloc, "9", "APPLY_EVENT", codec.write(params))))
        .isEqualTo(text(codec.encodeRequest(alloc, "9", "APPLY_EVENT", params)));
  }

  @Test
  void readMessageBuildsTheSameTreeAsReadTree() {
    String[] messages = {
      "{\"id\":\"4\",\"result\":{\"b\":[1,2.5,null,true],\"a\":{}},\"status\":\"ok\","
          + "\"type\":\"response\"}",
      "{\"error\":{\"code\":\"CONFLICT\",\"details\":null,\"retryable\":false},\"id\":null,"
          + "\"status\":\"error\",\"type\":\"response\"}",
      "{\"type\":\"event\",\"subscription_id\":\"s\",\"wal_offset\":12,\"payload\":null,"
          + "\"ctx\":{\"n\":-3e5,\"s\":\"\\u00e9\"}}",
      "{}"
    };
    for (String m : messages) {
      assertThat(codec.readMessage(utf8(m), id -> false)).as(m).isEqualTo(codec.readTree(utf8(m)));
    }
  }

  @Test
  void readMessageLeavesOutTheResultOfAResponseWhoseIdIsSkipped() {
    String response =
        "{\"id\":\"7\",\"result\":{\"big\":[1,2,3],\"s\":\"x\"},\"status\":\"ok\","
            + "\"type\":\"response\"}";
    ObjectNode skipped = codec.readMessage(utf8(response), "7"::equals);
    assertThat(skipped.has("result")).isFalse();
    assertThat(skipped.path("status").asText()).isEqualTo("ok");
    assertThat(skipped.path("type").asText()).isEqualTo("response");
    assertThat(skipped.path("id").asText()).isEqualTo("7");
    assertThat(codec.readMessage(utf8(response), "8"::equals).path("result").path("s").asText())
        .isEqualTo("x");
    // The id must come first to be known: a result before it is kept.
    String resultFirst = "{\"result\":{\"s\":\"x\"},\"id\":\"7\",\"status\":\"ok\"}";
    assertThat(codec.readMessage(utf8(resultFirst), "7"::equals).has("result")).isTrue();
  }

  @Test
  void readMessageRejectsWhatReadTreeRejects() {
    assertThatThrownBy(() -> codec.readMessage(utf8("{\"id\":\"1\"} {}"), id -> false))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThatThrownBy(
            () -> codec.readMessage(utf8("{\"id\":\"1\",\"result\":{\"a\":]}"), id -> true))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThatThrownBy(() -> codec.readMessage(utf8(""), id -> false))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(codec.readMessage(utf8("[1,2]"), id -> false)).isEmpty();
    String deep = "[".repeat(100) + "]".repeat(100);
    assertThat(
            codec
                .readMessage(utf8("{\"result\":" + deep + "}"), id -> false)
                .path("result")
                .isArray())
        .isTrue();
  }

  @Test
  void readTreeParsesResponsesDeeperThanTheRequestCap() {
    String deep = "[".repeat(100) + "]".repeat(100);
    JsonNode tree = codec.readTree(utf8("{\"result\":" + deep + "}"));
    assertThat(tree.path("result").isArray()).isTrue();
  }

  @Test
  void writeProducesCanonicalBytes() throws Exception {
    JsonNode node = codec.mapper().readTree("{\"b\":[1.50,1e21,-0.0],\"a\":\"\\u0001/é\"}");
    assertThat(codec.writeString(node)).isEqualTo("{\"a\":\"\\u0001/é\",\"b\":[1.5,1e21,-0.0]}");
  }

  private Request decode(String json) {
    ByteBuf buf = utf8(json);
    try {
      return codec.decodeRequest(buf);
    } finally {
      buf.release();
    }
  }

  private void assertMalformed(String json, String expectedId, String messagePart) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining(messagePart)
        .extracting(e -> ((MalformedRequestException) e).requestId())
        .isEqualTo(expectedId);
  }

  private static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private static String text(ByteBuf buf) {
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @Test
  void utf16AndUtf32PayloadsAreRefusedAsNotUtf8() {
    String ping = "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}";
    for (java.nio.charset.Charset charset :
        List.of(
            java.nio.charset.StandardCharsets.UTF_16,
            java.nio.charset.StandardCharsets.UTF_16LE,
            java.nio.charset.StandardCharsets.UTF_16BE,
            java.nio.charset.Charset.forName("UTF-32"),
            java.nio.charset.Charset.forName("UTF-32LE"))) {
      assertThatThrownBy(
              () ->
                  new MessageCodec()
                      .decodeRequest(
                          io.netty.buffer.Unpooled.wrappedBuffer(ping.getBytes(charset))))
          .as(charset.name())
          .isInstanceOf(MalformedRequestException.class)
          .hasMessage("invalid JSON: the payload is not UTF-8");
    }
    assertThat(
            new MessageCodec()
                .decodeRequest(
                    io.netty.buffer.Unpooled.wrappedBuffer(
                        ping.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .op())
        .isEqualTo("PING");
  }
}
