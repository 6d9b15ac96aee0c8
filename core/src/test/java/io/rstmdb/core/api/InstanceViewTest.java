package io.rstmdb.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.json.PackedJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InstanceViewTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static InstanceView packed(JsonNode ctx) {
    return new InstanceView("i", "m", 1, "s", null, null, 3, 1, 2, PackedJson.of(ctx));
  }

  private static InstanceView tree(JsonNode ctx) {
    return new InstanceView("i", "m", 1, "s", ctx, null, 3, 1, 2);
  }

  @Test
  void aPackedCtxReadsAsItsTreeAndItsBytes() throws Exception {
    JsonNode ctx = MAPPER.readTree("{\"b\":[1,2],\"a\":\"x\"}");
    InstanceView v = packed(ctx);
    assertThat(v.ctx()).isEqualTo(ctx);
    assertThat(new String(v.ctxJson(), StandardCharsets.UTF_8))
        .isEqualTo("{\"b\":[1,2],\"a\":\"x\"}");
    assertThat(tree(ctx).ctxJson()).isNull();
    assertThat(tree(ctx).ctx()).isSameAs(ctx);
  }

  @Test
  void equalityComparesTheCtxHoweverItIsHeld() throws Exception {
    JsonNode ctx = MAPPER.readTree("{\"a\":1}");
    assertThat(packed(ctx)).isEqualTo(tree(ctx)).hasSameHashCodeAs(tree(ctx));
    assertThat(tree(ctx)).isEqualTo(packed(ctx));
    assertThat(packed(ctx)).isNotEqualTo(packed(MAPPER.readTree("{\"a\":2}")));
    assertThat(packed(ctx).toString()).contains("ctx={\"a\":1}");
  }

  @Test
  void theCtxIsGivenOneWayOnly() throws Exception {
    JsonNode ctx = MAPPER.readTree("{}");
    assertThatThrownBy(
            () -> new InstanceView("i", "m", 1, "s", ctx, null, 3, 1, 2, PackedJson.of(ctx)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new InstanceView("i", "m", 1, "s", null, null, 3, 1, 2).ctx()).isNull();
  }
}
