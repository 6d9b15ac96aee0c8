package io.rstmdb.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.message.MessageCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PreparedRequestTest {
  private final MessageCodec codec = new MessageCodec();

  @Test
  void paramsAreEncodedCanonicallyOnceAndCopied() {
    ObjectNode params = codec.mapper().createObjectNode().put("b", 1).put("a", "ü");
    PreparedRequest prepared = PreparedRequest.of("APPLY_EVENT", params);
    params.put("c", 3);
    assertThat(new String(prepared.encodedParams(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":\"ü\",\"b\":1}");
    assertThat(prepared.params())
        .isEqualTo(codec.mapper().createObjectNode().put("b", 1).put("a", "ü"));
    assertThat(prepared.op()).isEqualTo("APPLY_EVENT");
  }

  @Test
  void noParamsAreSentAsAnEmptyObject() {
    assertThat(new String(PreparedRequest.of("PING", null).encodedParams(), StandardCharsets.UTF_8))
        .isEqualTo("{}");
    assertThat(PreparedRequest.of("PING", null).params()).isNull();
  }
}
