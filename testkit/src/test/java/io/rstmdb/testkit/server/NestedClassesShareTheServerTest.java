package io.rstmdb.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.testkit.RstmdbServerExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JUnit asks a static field's extension again for each {@code @Nested} class. Starting a second
 * server there replaced the first without stopping it: its port, threads and data directory leaked,
 * and the client still talked to the first one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NestedClassesShareTheServerTest {
  @RegisterExtension static final RstmdbServerExtension RSTMDB = RstmdbServerExtension.create();

  private static int outerPort;

  @Test
  @Order(1)
  void outer() throws Exception {
    outerPort = RSTMDB.address().getPort();
    assertThat(RSTMDB.client().call("PING", null).get(10, TimeUnit.SECONDS).get("pong").asBoolean())
        .isTrue();
  }

  @Nested
  class Inner {
    @Test
    void usesTheOuterClassesServer() throws Exception {
      assertThat(outerPort).as("the outer test ran first").isPositive();
      assertThat(RSTMDB.address().getPort()).isEqualTo(outerPort);
      assertThat(RSTMDB.client().call("PING", null).get(10, TimeUnit.SECONDS).has("pong")).isTrue();
    }
  }
}
