package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.port.WalEntry;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes docs/storage-format.md shows are the bytes the code writes. */
class WalFormatTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final WalFormat format = new WalFormat();

  private WalEntry entry(String type, String json) throws Exception {
    return new WalEntry(type, (ObjectNode) mapper.readTree(json));
  }

  private static String hex(ByteBuffer b, int from, int to) {
    byte[] bytes = new byte[to - from];
    b.duplicate().position(from).get(bytes);
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  @Test
  void segmentHeaderMatchesTheDocumentedExample() {
    ByteBuffer h = WalFormat.segmentHeader(0);
    assertThat(hex(h, 0, 24))
        .isEqualTo("52 57 41 4c 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 9a cd 8b 10");
    assertThat(WalFormat.checkSegmentHeader(h, 0)).isNull();
    assertThat(WalFormat.checkSegmentHeader(WalFormat.segmentHeader(1234), 0))
        .contains("first offset 1234");
  }

  @Test
  void recordMatchesTheDocumentedExample() throws Exception {
    WalEntry e = entry("delete_instance", "{\"type\":\"delete_instance\",\"instance_id\":\"i-1\"}");
    byte[] payload = format.payload(e);
    assertThat(payload).hasSize(46);
    WalFormat.EncodedGroup g = WalFormat.encodeGroup(7, List.of(e), List.of(payload));
    assertThat(hex(g.bytes(), 0, 20))
        .isEqualTo("00 00 00 2e 88 ea de 62 00 00 00 00 00 00 00 07 04 00 00 00");
    assertThat(WalFormat.checkRecord(g.bytes(), 0, 46)).isNull();
    RawRecord raw = WalFormat.rawRecord(g.bytes(), 0, 46, 24);
    assertThat(format.entry(raw)).isEqualTo(e);
  }

  @Test
  void groupsFlagEveryRecordButTheLast() throws Exception {
    WalEntry a = entry("put_machine", "{\"type\":\"put_machine\",\"machine\":\"m\"}");
    WalEntry b = entry("flush_all", "{\"type\":\"flush_all\"}");
    WalFormat.EncodedGroup g =
        WalFormat.encodeGroup(0, List.of(a, b), List.of(format.payload(a), format.payload(b)));
    int second = g.recordStarts()[1];
    assertThat(g.bytes().get(17)).isEqualTo((byte) WalFormat.FLAG_MORE);
    assertThat(g.bytes().get(second + 17)).isZero();
    // A type outside the table is stored as code 0 and named by the body.
    assertThat(g.bytes().get(second + 16)).isZero();
    RawRecord raw = WalFormat.rawRecord(g.bytes(), second, g.bytes().limit() - second - 20, second);
    assertThat(format.entry(raw)).isEqualTo(b);
  }

  @Test
  void aTypeNeitherKnownNorInTheBodyIsRejected() throws Exception {
    WalEntry e = entry("custom", "{\"type\":\"other\"}");
    assertThatThrownBy(() -> format.payload(e)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void segmentNamesSortByOffset() {
    assertThat(WalFormat.segmentFileName(42)).isEqualTo("00000000000000000042.wal");
    assertThat(WalFormat.parseSegmentFileName("00000000000000000042.wal")).isEqualTo(42);
    assertThat(WalFormat.parseSegmentFileName("0000000000000000004x.wal")).isEqualTo(-1);
    assertThat(WalFormat.parseSegmentFileName("42.wal")).isEqualTo(-1);
    assertThat(WalFormat.parseSegmentFileName("00000000000000000042.wal.tmp")).isEqualTo(-1);
  }
}
