package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Assertions shared by the integration tests. */
final class ItSupport {

  private ItSupport() {}

  static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Calls and expects an error response; returns it. */
  static RcpErrorException error(RcpClient client, String op, String params) {
    try {
      JsonNode r =
          client
              .call(op, params == null ? null : ServerFixture.json(params))
              .get(10, TimeUnit.SECONDS);
      throw new AssertionError(op + " " + params + " succeeded: " + r);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RcpErrorException.class);
      return (RcpErrorException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String code(RcpClient client, String op, String params) {
    return error(client, op, params).codeName();
  }
}
