package io.rstmdb.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.entry.ApplyEventEntry;
import io.rstmdb.core.entry.CreateInstanceEntry;
import io.rstmdb.core.entry.DeleteInstanceEntry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.entry.FlushAllEntry;
import io.rstmdb.core.entry.PutMachineEntry;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL_READ responses are written from the entries' stored bytes now; they must be byte for byte
 * what the tree path (every record's parsed body under a canonical writer) gave before.
 */
class WalReadBytesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MessageCodec codec = new MessageCodec();
  private final ResultJson json = new ResultJson(MAPPER);

  @TempDir Path dir;

  /** The response as WAL_READ wrote it before stored bytes were used. */
  private String viaTree(WalReadResult r) {
    ArrayNode records = NODES.arrayNode();
    for (WalRecord rec : r.records()) {
      ObjectNode item = records.addObject();
      item.put("sequence", rec.sequence());
      item.put("offset", rec.offset());
      item.set("entry", rec.entry().body());
    }
    ObjectNode o = NODES.objectNode();
    o.set("records", records);
    o.put("next_offset", r.nextOffset());
    return response(o);
  }

  private String response(JsonNode result) {
    ByteBuf buf = codec.encodeOk(UnpooledByteBufAllocator.DEFAULT, "7", result);
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<WalEntry> representativeEntries() {
    ObjectNode definition =
        (ObjectNode)
            parse(
                "{\"states\":[\"created\",\"paid\"],\"initial\":\"created\","
                    + "\"transitions\":[{\"from\":\"created\",\"event\":\"PAY\",\"to\":\"paid\","
                    + "\"guard\":\"ctx.amount > 0.5\"}]}");
    ObjectNode ctx = NODES.objectNode();
    ctx.put("name", "Zoë – 中文 – 😀 – \uD834\uDD1E");
    ctx.put("escapes", "quote \" backslash \\ slash / tab \t newline \n \u0001 \u001f \u007f");
    ctx.put("separators", "\u2028\u2029\uFEFF");
    ctx.put("amount", 12.5).put("tiny", 1e-9).put("huge", 1e300).put("exp", 1.0e21);
    ctx.put("count", 42).put("negative", -7).put("big", Long.MAX_VALUE).put("min", Long.MIN_VALUE);
    ctx.put("flag", true).putNull("none");
    ctx.put("😀", "emoji key").put("é", "accented key").put("Z", 1).put("a", 2);
    ctx.putArray("list").add(1).add("two").add(3.25).addObject().put("y", 1).put("x", 2);
    ObjectNode payload = NODES.objectNode().put("data", "x".repeat(190));
    List<WalEntry> entries = new ArrayList<>();
    entries.add(EntryCodec.encode(new PutMachineEntry(1, "order", 1, "ab12", definition)));
    entries.add(
        EntryCodec.encode(
            new CreateInstanceEntry(2, "o-1", "order", 1, "created", ctx.deepCopy(), "k-1")));
    entries.add(
        EntryCodec.encode(
            new ApplyEventEntry(
                3, "o-1", "order", 1, "PAY", "created", "paid", payload, ctx, "e-1", null)));
    entries.add(
        EntryCodec.encode(
            new ApplyEventEntry(
                4,
                "o-2",
                "order",
                1,
                "PAY",
                "created",
                "paid",
                NODES.nullNode(),
                NODES.objectNode(),
                null,
                "k-2")));
    // 2^70 is read back as a big integer and written as a double: the copier leaves it to the tree.
    entries.add(
        EntryCodec.encode(
            new ApplyEventEntry(
                5,
                "o-3",
                "order",
                1,
                "PAY",
                "created",
                "paid",
                parse("{\"n\":1180591620717411303424,\"dup\":1}"),
                NODES.objectNode(),
                null,
                null)));
    entries.add(EntryCodec.encode(new DeleteInstanceEntry(6, "o-1", null)));
    entries.add(EntryCodec.encode(new FlushAllEntry(7)));
    return entries;
  }

  @Test
  void pagesReadFromTheLogAreByteForByteWhatTheTreePathWrote() {
    try (SegmentedWal wal = SegmentedWal.open(dir, WalOptions.defaults())) {
      List<WalEntry> entries = representativeEntries();
      for (int i = 0; i < 20; i++) {
        wal.append(entries).durable().join();
      }
      List<WalRecord> all = wal.read(0, 1000);
      assertThat(all).hasSize(140);
      assertThat(all.get(2).storedBody()).as("the fast path is in use").isNotNull();
      for (int from = 0; from < all.size(); from += 33) {
        List<WalRecord> page = all.subList(from, Math.min(all.size(), from + 33));
        WalReadResult r = new WalReadResult(page, from + page.size());
        String fast = response(json.walRead(r));
        assertThat(fast).isEqualTo(viaTree(r));
      }
      WalReadResult whole = new WalReadResult(all, 140);
      assertThat(response(json.walRead(whole))).isEqualTo(viaTree(whole));
      assertThat(
              parse(response(json.walRead(whole))).at("/result/records/2/entry/ctx/name").asText())
          .isEqualTo("Zoë – 中文 – 😀 – \uD834\uDD1E");
    }
  }

  @Test
  void recordsWithoutStoredBytesAndEmptyPagesToo() {
    List<WalRecord> records = new ArrayList<>();
    long offset = 10;
    for (WalEntry e : representativeEntries()) {
      records.add(new WalRecord(offset++, e));
    }
    WalReadResult r = new WalReadResult(records, offset);
    assertThat(response(json.walRead(r))).isEqualTo(viaTree(r));
    WalReadResult empty = new WalReadResult(List.of(), 99);
    assertThat(response(json.walRead(empty)))
        .isEqualTo(viaTree(empty))
        .isEqualTo(
            "{\"type\":\"response\",\"id\":\"7\",\"status\":\"ok\","
                + "\"result\":{\"next_offset\":99,\"records\":[]}}");
  }
}
