package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.TlsOptions;
import io.rstmdb.server.config.TlsConfig;
import io.rstmdb.server.tls.TestCertificates;
import io.rstmdb.server.tls.TestCertificates.Issued;
import io.rstmdb.server.tls.TestCertificates.KeyFormat;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
      try (RawConnection raw = new RawConnection(f.port())) {
        raw.sendJson("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}");
        assertThat(raw.closedByServer()).isTrue();
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
