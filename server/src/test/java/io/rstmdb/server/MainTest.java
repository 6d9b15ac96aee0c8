package io.rstmdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup failures: exit code 2 and one line naming the key for bad configuration. */
class MainTest {

  @TempDir Path dir;

  private String run(Map<String, String> env, int expectedCode) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(env, new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isEqualTo(expectedCode);
    assertThat(text.lines().count()).as(text).isEqualTo(1);
    return text;
  }

  @Test
  void badYamlValueNamesTheKey() throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "network:\n  max_connections: lots\n");
    assertThat(run(Map.of("RSTMDB_CONFIG", config.toString()), 2))
        .startsWith("rstmdb: invalid configuration: network.max_connections: ");
  }

  @Test
  void badEnvironmentValueNamesTheVariable() {
    assertThat(run(Map.of("RSTMDB_IDLE_TIMEOUT", "soon"), 2))
        .startsWith("rstmdb: invalid configuration: RSTMDB_IDLE_TIMEOUT: ");
    assertThat(run(Map.of("RSTMDB_LOG_LEVEL", "verbose"), 2))
        .startsWith("rstmdb: invalid configuration: RSTMDB_LOG_LEVEL: expected TRACE, DEBUG");
    assertThat(run(Map.of("RSTMDB_ALLOW_FLUSH_ALL", "maybe"), 2))
        .contains("expected 1, true, yes or on (or 0, false, no, off), got 'maybe'");
  }

  @Test
  void requiredAuthWithoutHashesRefusesToStart() {
    assertThat(
            run(
                Map.of(
                    "RSTMDB_AUTH_REQUIRED",
                    "true",
                    "RSTMDB_DATA",
                    dir.toString(),
                    "RSTMDB_BIND",
                    "127.0.0.1:0"),
                2))
        .contains("auth.token_hashes");
    assertThat(dir.resolve("wal")).doesNotExist();
  }

  @Test
  void tlsWithMissingFilesRefusesToStart() {
    assertThat(
            run(
                Map.of(
                    "RSTMDB_TLS_ENABLED", "1",
                    "RSTMDB_TLS_CERT", dir.resolve("none.pem").toString(),
                    "RSTMDB_TLS_KEY", dir.resolve("none-key.pem").toString(),
                    "RSTMDB_DATA", dir.toString()),
                2))
        .contains("tls.cert_path")
        .contains("none.pem");
  }

  @Test
  void portInUseIsAStartFailure() throws Exception {
    // Twice: the first failure lets the data directory go, so the second try in this process
    // gets the port error again, not "in use by another rstmdb server".
    for (int attempt = 0; attempt < 2; attempt++) {
      try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
        String bind = "127.0.0.1:" + taken.getLocalPort();
        assertThat(run(Map.of("RSTMDB_BIND", bind, "RSTMDB_DATA", dir.toString()), 1))
            // The same words on every transport (the native ones add the call and errno).
            .startsWith(
                "rstmdb: cannot start: cannot bind "
                    + bind
                    + " (network.bind_addr): Address already in use")
            .doesNotContain("9090");
      }
    }
  }

  @Test
  void aBindHostThatDoesNotResolveIsBadConfigurationFoundBeforeAnyFileIsOpened() {
    assertThat(run(Map.of("RSTMDB_BIND", "nohost.invalid:7401", "RSTMDB_DATA", dir.toString()), 2))
        .startsWith(
            "rstmdb: invalid configuration: network.bind_addr: cannot resolve the host of"
                + " 'nohost.invalid:7401'");
    assertThat(dir.resolve("wal")).doesNotExist();
  }

  @Test
  void aMistypedTransportIsRefusedBeforeAnyFileIsOpened() {
    assertThat(startWithProperty("rstmdb.transport", "epol"))
        .isEqualTo("rstmdb: -Drstmdb.transport=epol names no transport (io_uring, epoll or nio)\n");
    assertThat(dir.resolve("wal")).doesNotExist();
  }

  @Test
  void aMistypedIoThreadCountIsRefusedBeforeAnyFileIsOpened() {
    assertThat(startWithProperty("rstmdb.ioThreads", "0"))
        .isEqualTo(
            "rstmdb: invalid configuration: -Drstmdb.ioThreads: must be a whole number from 1"
                + " to 256, got '0'\n");
    assertThat(dir.resolve("wal")).doesNotExist();
  }

  /** Runs a start that must fail with exit code 2 under a system property; returns stderr. */
  private String startWithProperty(String name, String value) {
    String before = System.setProperty(name, value);
    try {
      return run(Map.of("RSTMDB_DATA", dir.toString(), "RSTMDB_BIND", "127.0.0.1:0"), 2);
    } finally {
      if (before == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, before);
      }
    }
  }

  @Test
  void theMetricsUrlPutsAnIpv6AddressInBrackets() throws Exception {
    assertThat(Main.metricsUrl(new InetSocketAddress(InetAddress.getByName("::1"), 9090)))
        .isEqualTo("http://[0:0:0:0:0:0:0:1]:9090/metrics");
    assertThat(Main.metricsUrl(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9090)))
        .isEqualTo("http://127.0.0.1:9090/metrics");
  }
}
