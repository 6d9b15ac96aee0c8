package io.rstmdb.protocol.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.rstmdb.protocol.ProtocolLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns payloads into envelopes and back (wire.md §3–4). Output is byte-compatible with the
 * reference server: envelope fields in their fixed order, everything inside {@code result}, {@code
 * error.details} and event values with sorted keys (see {@link CanonicalJsonWriter}). Immutable and
 * thread-safe; share one instance.
 */
public final class MessageCodec {

  private static final byte[] OK_PREFIX = ascii("{\"type\":\"response\",\"id\":");
  private static final byte[] OK_MIDDLE = ascii(",\"status\":\"ok\",\"result\":");
  private static final byte[] ERROR_MIDDLE = ascii(",\"status\":\"error\",\"error\":{\"code\":");
  private static final byte[] EVENT_PREFIX = ascii("{\"type\":\"event\"");
  private static final byte[] REQUEST_PREFIX = ascii("{\"type\":\"request\",\"id\":");
  private static final byte[] EMPTY_OBJECT = ascii("{}");
  private static final byte[] MESSAGE_KEY = ascii(",\"message\":");
  private static final byte[] RETRYABLE_TRUE = ascii(",\"retryable\":true");
  private static final byte[] RETRYABLE_FALSE = ascii(",\"retryable\":false");
  private static final byte[] DETAILS_KEY = ascii(",\"details\":");
  private static final byte[] CLOSE_ERROR = ascii("}}");
  private static final byte[] OP_KEY = ascii(",\"op\":");
  private static final byte[] PARAMS_KEY = ascii(",\"params\":");
  private static final byte[] NULL = ascii("null");
  private static final int COPY_TO_PARSE_LIMIT = 64 * 1024;

  // Requests are read with the nesting cap; responses may legitimately wrap a maximally deep ctx
  // in a few more levels (WAL_READ records, batch items), so the general mapper keeps Jackson's
  // default cap.
  private final ObjectMapper requestMapper;
  private final ObjectMapper mapper;

  public MessageCodec() {
    JsonFactory strict =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(ProtocolLimits.MAX_JSON_DEPTH)
                    .build())
            .build();
    this.requestMapper = new ObjectMapper(strict);
    this.requestMapper.setNodeFactory(new FiniteNumberNodeFactory());
    this.mapper = new ObjectMapper();
  }

  /** The shared mapper, for callers that build or convert {@link JsonNode}s. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Parses a request payload; does not release it. Unknown op names are not an error here.
   *
   * @throws MalformedRequestException when the payload is not a usable request envelope
   */
  public Request decodeRequest(ByteBuf payload) {
    if (!looksLikeUtf8(payload)) {
      throw new MalformedRequestException(null, "invalid JSON: the payload is not UTF-8");
    }
    String id = null;
    try (JsonParser parser = parserFor(requestMapper, payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedRequestException(null, "request must be a JSON object");
      }
      boolean idSeen = false;
      boolean idValid = false;
      String op = null;
      boolean opSeen = false;
      JsonNode params = null;
      boolean paramsSeen = false;
      boolean typeSeen = false;
      // The first duplicated field; reading goes on, so the answer can carry an id that comes
      // after the duplicate.
      String duplicate = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        boolean again =
            switch (name) {
              case "id" -> idSeen;
              case "op" -> opSeen;
              case "params" -> paramsSeen;
              // Not checked beyond uniqueness: clients send "request", the reference ignores it.
              case "type" -> typeSeen;
              default -> false;
            };
        if (again) {
          duplicate = duplicate == null ? name : duplicate;
          parser.skipChildren();
          continue;
        }
        switch (name) {
          case "id" -> {
            idSeen = true;
            if (value == JsonToken.VALUE_STRING) {
              id = parser.getText();
              idValid = true;
            } else {
              parser.skipChildren();
            }
          }
          case "op" -> {
            opSeen = true;
            op = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            parser.skipChildren();
          }
          case "params" -> {
            paramsSeen = true;
            params = value == JsonToken.VALUE_NULL ? null : parser.readValueAsTree();
          }
          case "type" -> {
            typeSeen = true;
            parser.skipChildren();
          }
          default -> parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new MalformedRequestException(id, "unexpected content after the request object");
      }
      if (duplicate != null) {
        throw new MalformedRequestException(id, "duplicate field `" + duplicate + "`");
      }
      if (!idSeen) {
        throw new MalformedRequestException(null, "missing field `id`");
      }
      if (!idValid) {
        throw new MalformedRequestException(null, "field `id` must be a string");
      }
      if (!opSeen) {
        throw new MalformedRequestException(id, "missing field `op`");
      }
      if (op == null) {
        throw new MalformedRequestException(id, "field `op` must be a string");
      }
      return new Request(id, op, params);
    } catch (StreamConstraintsException e) {
      String what = String.valueOf(e.getOriginalMessage());
      if (what.startsWith("Document nesting depth")) {
        throw new MalformedRequestException(
            id, "JSON nesting deeper than " + ProtocolLimits.MAX_JSON_DEPTH + " levels");
      }
      // Jackson's other read limits (number length, name length, …): say which, without the
      // "from `StreamReadConstraints…`" hint that names a Java class.
      throw new MalformedRequestException(
          id, "invalid JSON: " + what.replaceAll(", from `[^`]*`", ""));
    } catch (JsonProcessingException e) {
      throw new MalformedRequestException(id, "invalid JSON: " + whatIsWrong(e));
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(id, "invalid JSON: " + e.getMessage());
    } catch (IOException e) {
      throw new MalformedRequestException(id, "invalid JSON: " + e.getMessage());
    }
  }

  /**
   * Whether the payload can be UTF-8 JSON. Jackson detects UTF-16 and UTF-32 from the first bytes
   * and decodes them too, but the protocol carries UTF-8 only (wire.md §1), and a proxy or filter
   * that reads UTF-8 would not see what the server runs. JSON text never holds a raw zero byte, and
   * UTF-16/32 put one among the first four bytes of any JSON object, or start with a byte order
   * mark.
   */
  private static boolean looksLikeUtf8(ByteBuf payload) {
    int start = payload.readerIndex();
    int end = Math.min(payload.writerIndex(), start + 4);
    for (int i = start; i < end; i++) {
      if (payload.getByte(i) == 0) {
        return false;
      }
    }
    if (end - start >= 2) {
      int first = payload.getUnsignedByte(start);
      int second = payload.getUnsignedByte(start + 1);
      return !(first == 0xFE && second == 0xFF || first == 0xFF && second == 0xFE);
    }
    return true;
  }

  /** Encodes {@code {"type":"response","id":…,"status":"ok","result":…}}; null result → {}. */
  public ByteBuf encodeOk(ByteBufAllocator alloc, String id, JsonNode result) {
    // Results with a ctx are a few hundred bytes; starting at 128 cost two regrowths (copies).
    ByteBuf out = alloc.buffer(512);
    out.writeBytes(OK_PREFIX);
    writeId(id, out);
    out.writeBytes(OK_MIDDLE);
    if (result == null || result.isNull()) {
      out.writeBytes(EMPTY_OBJECT);
    } else {
      CanonicalJsonWriter.write(result, out);
    }
    out.writeByte('}');
    return out;
  }

  /**
   * Encodes {@code {"type":"response","id":…,"status":"error","error":{code,message,retryable[,
   * details]}}}; a null id is written as JSON null (framing errors, unreadable ids).
   */
  public ByteBuf encodeError(ByteBufAllocator alloc, String id, WireError error) {
    ByteBuf out = alloc.buffer(128);
    out.writeBytes(OK_PREFIX);
    writeId(id, out);
    out.writeBytes(ERROR_MIDDLE);
    CanonicalJsonWriter.writeString(error.code().name(), out);
    out.writeBytes(MESSAGE_KEY);
    CanonicalJsonWriter.writeString(error.message(), out);
    out.writeBytes(error.retryable() ? RETRYABLE_TRUE : RETRYABLE_FALSE);
    if (!error.details().isEmpty()) {
      out.writeBytes(DETAILS_KEY);
      CanonicalJsonWriter.write(detailsTree(error.details()), out);
    }
    out.writeBytes(CLOSE_ERROR);
    return out;
  }

  /**
   * Encodes an event: {@code "type":"event"} first, then {@code event}'s fields in their insertion
   * order (build it as wire.md §4.4 lists them: subscription_id, instance_id, machine, version,
   * wal_offset, from_state, to_state, event, payload[, ctx]); a {@code type} field in {@code event}
   * is ignored. Values are written canonically (sorted keys).
   */
  public ByteBuf encodeEvent(ByteBufAllocator alloc, ObjectNode event) {
    ByteBuf out = alloc.buffer(256);
    out.writeBytes(EVENT_PREFIX);
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      if (field.getKey().equals("type")) {
        continue;
      }
      out.writeByte(',');
      CanonicalJsonWriter.writeString(field.getKey(), out);
      out.writeByte(':');
      CanonicalJsonWriter.write(field.getValue(), out);
    }
    out.writeByte('}');
    return out;
  }

  /**
   * Encodes {@code {"type":"request","id":…,"op":…,"params":…}}; params is always present ({@code
   * {}} when null), as the Python and Rust clients send it.
   */
  public ByteBuf encodeRequest(ByteBufAllocator alloc, String id, String op, JsonNode params) {
    ByteBuf out = requestUpToParams(alloc.buffer(128), id, op);
    if (params == null || params.isNull() || params.isMissingNode()) {
      out.writeBytes(EMPTY_OBJECT);
    } else {
      CanonicalJsonWriter.write(params, out);
    }
    out.writeByte('}');
    return out;
  }

  /**
   * As {@link #encodeRequest(ByteBufAllocator, String, String, JsonNode)}, with params already in
   * their canonical encoding.
   */
  public ByteBuf encodePreparedRequest(
      ByteBufAllocator alloc, String id, String op, byte[] params) {
    ByteBuf out = requestUpToParams(alloc.buffer(64 + params.length), id, op);
    out.writeBytes(params);
    out.writeByte('}');
    return out;
  }

  /** Writes a request's envelope up to its params' value. */
  private static ByteBuf requestUpToParams(ByteBuf out, String id, String op) {
    out.writeBytes(REQUEST_PREFIX);
    writeId(id, out);
    out.writeBytes(OP_KEY);
    CanonicalJsonWriter.writeString(op, out);
    out.writeBytes(PARAMS_KEY);
    return out;
  }

  /**
   * Parses a response or event into a tree, leaving out a response's {@code result} when {@code
   * skipResult} accepts the response's {@code id} (seen before {@code result}, as a canonical
   * encoder writes it). Skipping spares a caller that ignores the result the cost of building it. A
   * payload that is JSON but not an object yields an empty object. Does not release {@code
   * payload}.
   *
   * @throws UncheckedIOException when the payload is not exactly one JSON document
   */
  public ObjectNode readMessage(ByteBuf payload, Predicate<String> skipResult) {
    try (JsonParser parser = parserFor(mapper, payload)) {
      ObjectNode message = mapper.createObjectNode();
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        if (first == null || mapper.readTree(parser) == null) {
          throw new IOException("payload is not exactly one JSON document");
        }
      } else {
        boolean skip = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (skip && name.equals("result")) {
            parser.skipChildren();
            continue;
          }
          JsonNode node =
              switch (value) {
                case VALUE_STRING -> message.textNode(parser.getText());
                case VALUE_NULL -> message.nullNode();
                default -> mapper.readTree(parser);
              };
          message.set(name, node);
          if (name.equals("id")) {
            skip = node.isTextual() && skipResult.test(node.textValue());
          }
        }
      }
      if (parser.nextToken() != null) {
        throw new IOException("payload is not exactly one JSON document");
      }
      return message;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable JSON payload: " + e.getMessage(), e);
    }
  }

  /** Parses any payload (response, event, request) into a tree; does not release it. */
  public JsonNode readTree(ByteBuf payload) {
    try (JsonParser parser = parserFor(mapper, payload)) {
      JsonNode tree = mapper.readTree(parser);
      if (tree == null || parser.nextToken() != null) {
        throw new IOException("payload is not exactly one JSON document");
      }
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable JSON payload: " + e.getMessage(), e);
    }
  }

  /** The canonical compact bytes of {@code node} (sorted keys, wire.md §3.2). */
  public byte[] write(JsonNode node) {
    return CanonicalJsonWriter.toBytes(node);
  }

  /** The canonical compact text of {@code node}. */
  public String writeString(JsonNode node) {
    return new String(write(node), StandardCharsets.UTF_8);
  }

  private JsonNode detailsTree(Map<String, Object> details) {
    return mapper.valueToTree(details);
  }

  private static void writeId(String id, ByteBuf out) {
    if (id == null) {
      out.writeBytes(NULL);
    } else {
      CanonicalJsonWriter.writeEchoedString(id, out); // ids come back exactly as sent
    }
  }

  private static JsonParser parserFor(ObjectMapper mapper, ByteBuf payload) throws IOException {
    if (payload.hasArray()) {
      return mapper.createParser(
          payload.array(), payload.arrayOffset() + payload.readerIndex(), payload.readableBytes());
    }
    if (payload.readableBytes() <= COPY_TO_PARSE_LIMIT) {
      // Requests arrive in direct buffers; one copy into an array is cheaper than the stream.
      return mapper.createParser(
          ByteBufUtil.getBytes(payload, payload.readerIndex(), payload.readableBytes(), false));
    }
    InputStream in = new ByteBufInputStream(payload.duplicate(), false);
    return mapper.createParser(in);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Jackson's hints on relaxing its parser; a client needs what is wrong, not our parser's knobs.
   */
  /** What is wrong with the JSON and where, in plain words (no Jackson class or feature names). */
  static String whatIsWrong(JsonProcessingException e) {
    String message = JsonErrorText.of(e);
    JsonLocation where = e.getLocation();
    return where == null || where.getLineNr() < 0
        ? message
        : message + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }
}
