package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.json.CanonicalJson;
import io.rstmdb.core.port.WalEntry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The WAL's size limit assumes a double spells at most {@link WalFormat#DOUBLE_GROWTH} bytes longer
 * on the wire (the canonical, serde_json spelling replies use) than in the WAL (Jackson's).
 */
class DoubleGrowthPropertiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static int growth(double d) throws Exception {
    DoubleNode node = DoubleNode.valueOf(d);
    return CanonicalJson.write(node).length() - MAPPER.writeValueAsString(node).length();
  }

  @Property(tries = 5000)
  void anyDoubleGrowsAtMostTheAllowance(@ForAll double d) throws Exception {
    assertThat(growth(d)).isLessThanOrEqualTo(WalFormat.DOUBLE_GROWTH);
  }

  @Property(tries = 2000)
  void doublesAroundTheSpellingsSwitchToo(@ForAll("aroundTheSwitch") double d) throws Exception {
    assertThat(growth(d)).isLessThanOrEqualTo(WalFormat.DOUBLE_GROWTH);
  }

  @Provide
  Arbitrary<Double> aroundTheSwitch() {
    // Jackson switches to E-notation at 1e7, the wire only at 1e16: the widest gap is in between.
    return Arbitraries.integers()
        .between(-9, 22)
        .flatMap(
            exp ->
                Arbitraries.doubles()
                    .between(1, 10)
                    .map(m -> (exp % 2 == 0 ? 1 : -1) * m * Math.pow(10, exp)));
  }

  @Example
  void anEntryWhoseDoublesWouldNotFitAReplyIsRefusedThoughItsBytesWould() {
    // 1,000,000 doubles: ~7 MB as stored (1.0E15,), ~19 MB in a reply (1000000000000000.0,).
    ObjectNode body = MAPPER.createObjectNode();
    body.put("type", "apply_event");
    ArrayNode numbers = body.putArray("ctx");
    for (int i = 0; i < 1_000_000; i++) {
      numbers.add(1e15);
    }
    WalEntry entry = new WalEntry("apply_event", body);
    assertThatThrownBy(() -> new WalFormat().payload(entry))
        .isInstanceOfSatisfying(
            RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageContaining("write too large");
    // A tenth of it fits both ways.
    ObjectNode small = MAPPER.createObjectNode();
    small.put("type", "apply_event");
    ArrayNode fewer = small.putArray("ctx");
    for (int i = 0; i < 100_000; i++) {
      fewer.add(1e15);
    }
    assertThat(new WalFormat().payload(new WalEntry("apply_event", small)))
        .hasSizeGreaterThan(700_000);
  }

  @Example
  void theWorstCaseIsExactlyTheAllowance() throws Exception {
    assertThat(growth(1e15)).isEqualTo(WalFormat.DOUBLE_GROWTH); // 1.0E15 -> 1000000000000000.0
    assertThat(growth(-1.5e15)).isEqualTo(WalFormat.DOUBLE_GROWTH);
  }
}
