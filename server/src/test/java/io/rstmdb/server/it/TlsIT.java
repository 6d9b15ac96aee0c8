package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.TlsOptions;
import io.rstmdb.server.config.TlsConfig;
import io.rstmdb.server.session.SessionHandler;
import io.rstmdb.server.tls.TestCertificates;
import io.rstmdb.server.tls.TestCertificates.Issued;
import io.rstmdb.server.tls.TestCertificates.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS handshakes with certificates made by the test. */
class TlsIT {

  @TempDir static Path certDir;
  static TestCertificates certs;
  static Issued server;
  static Issued client;

  @TempDir Path dir;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCertificates(certDir);
    server = certs.issue("server", KeyFormat.SEC1_EC);
    // The protocol client reads PKCS#8 keys only; the server side is tested with all formats.
    client = certs.issue("client", KeyFormat.PKCS8_EC);
  }

  @Test
  void tlsClientTrustingTheCaIsServed() {
    try (ServerFixture f =
        new ServerFixture(dir, c -> c.withTls(TlsConfig.server(server.cert(), server.key())))) {
      RcpClient c = f.client(f.options().withTls(TlsOptions.trusting(certs.caCertPath())));
      assertThat(call(c, "PING", null).get("pong").asBoolean()).isTrue();
    }
  }

  @Test
  void plainClientGetsNothingFromATlsPort() throws Exception {
    try (ServerFixture f =
        new ServerFixture(dir, c -> c.withTls(TlsConfig.server(server.cert(), server.key())))) {
      try (CapturedLog log = CapturedLog.of(SessionHandler.class);
          RawConnection raw = new RawConnection(f.port())) {
        raw.sendJson(
            "{\"type\":\"request\",\"id\":\"1\",\"op\":\"AUTH\",\"params\":{\"token\":\"TOPSECRET\"}}");
        assertThat(raw.closedByServer()).isTrue();
        log.await(line -> line.startsWith("connection closed"));
        // The failure shows both as a handshake event and as an exception: one line for both.
        assertThat(log.infoLines()).filteredOn(line -> line.contains("TLS")).hasSize(1);
        // Netty's message dumps the bytes in hex: the token must not reach the log in any form.
        String hexOfToken = HexFormat.of().formatHex("TOPSECRET".getBytes(StandardCharsets.UTF_8));
        assertThat(String.join("\n", log.infoLines()))
            .contains("not a TLS record")
            .doesNotContainIgnoringCase(hexOfToken)
            .doesNotContain("TOPSECRET")
            .doesNotContain("524350");
      }
    }
  }

  /**
   * The limit is applied at accept, before TLS: a refused connection used to wait for a handshake
   * that a silent client never finishes, holding its descriptor for handshake_timeout_secs.
   */
  @Test
  void aConnectionOverTheLimitOnATlsPortIsClosedAtOnceWithoutAHandshake() throws Exception {
    try (ServerFixture f =
        new ServerFixture(
            dir,
            c ->
                c.withTls(TlsConfig.server(server.cert(), server.key()))
                    .withNetwork(c.network().withMaxConnections(1).withHandshakeTimeoutSecs(10)))) {
      RcpClient holder = f.client(f.options().withTls(TlsOptions.trusting(certs.caCertPath())));
      assertThat(call(holder, "PING", null).get("pong").asBoolean()).isTrue();
      try (CapturedLog log = CapturedLog.of(SessionHandler.class);
          RawConnection silent = new RawConnection(f.port())) {
        silent.timeout(3_000);
        long start = System.nanoTime();
        assertThat(silent.closedByServer()).as("closed well before the handshake timeout").isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000L);
        // No handshake was started for it, so none failed (it logged "with null" before).
        assertThat(log.infoLines()).noneMatch(line -> line.contains("TLS"));
      }
      // The admitted connection is untouched.
      assertThat(call(holder, "PING", null).get("pong").asBoolean()).isTrue();
    }
  }

  @Test
  void aTlsConnectionThatSendsNoRequestAfterItsHandshakeIsClosed() throws Exception {
    try (ServerFixture f =
        new ServerFixture(
            dir,
            c ->
                c.withTls(TlsConfig.server(server.cert(), server.key()))
                    .withNetwork(c.network().withHandshakeTimeoutSecs(1)))) {
      SSLContext tls =
          ((JdkSslContext)
                  SslContextBuilder.forClient()
                      .sslProvider(SslProvider.JDK)
                      .trustManager(certs.caCertPath().toFile())
                      .build())
              .context();
      try (SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", f.port())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        long start = System.nanoTime();
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 5_000L);
      }
    }
  }

  @Test
  void aStalledHandshakeIsDroppedAfterTheHandshakeTimeout() throws Exception {
    try (ServerFixture f =
        new ServerFixture(
            dir,
            c ->
                c.withTls(TlsConfig.server(server.cert(), server.key()))
                    .withNetwork(c.network().withHandshakeTimeoutSecs(1).withIdleTimeoutSecs(0)))) {
      try (RawConnection raw = new RawConnection(f.port())) {
        long start = System.nanoTime();
        assertThat(raw.closedByServer()).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 8_000L);
      }
    }
  }

  @Test
  void mutualTlsNeedsAClientCertificateFromTheCa() {
    try (ServerFixture f =
        new ServerFixture(
            dir,
            c ->
                c.withTls(
                    TlsConfig.server(server.cert(), server.key())
                        .withClientCa(certs.caCertPath())))) {
      TlsOptions trusting = TlsOptions.trusting(certs.caCertPath());
      RcpClient c =
          f.client(
              f.options().withTls(trusting.withClientCertificate(client.cert(), client.key())));
      assertThat(call(c, "PING", null).get("pong").asBoolean()).isTrue();
      assertThatThrownBy(
              () ->
                  RcpClient.connect(f.options().withTls(trusting))
                      .get(10, TimeUnit.SECONDS)
                      .call("PING", null)
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(Exception.class);
    }
  }
}
