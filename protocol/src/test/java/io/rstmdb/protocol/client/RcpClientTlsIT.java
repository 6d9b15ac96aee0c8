package io.rstmdb.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's TLS options against a TLS server using freshly minted certificates. Netty 4.2
 * deprecates SelfSignedCertificate in favour of its pkitesting module, which is not available here;
 * it still works (with Bouncy Castle on the test classpath).
 */
@SuppressWarnings("deprecation")
class RcpClientTlsIT {

  private static SelfSignedCertificate serverCert;
  private static SelfSignedCertificate clientCert;

  @BeforeAll
  static void mintCertificates() throws Exception {
    serverCert =
        SelfSignedCertificate.builder().fqdn("localhost").algorithm("EC").bits(256).build();
    clientCert = SelfSignedCertificate.builder().fqdn("client").algorithm("EC").bits(256).build();
  }

  @AfterAll
  static void deleteCertificates() {
    serverCert.delete();
    clientCert.delete();
  }

  @Test
  void connectsWhenTheServerCertificateIsTrusted() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.startTls(serverContext(false))) {
      TlsOptions tls =
          TlsOptions.trusting(serverCert.certificate().toPath()).withServerName("localhost");
      try (RcpClient client = connect(server, tls).get(10, TimeUnit.SECONDS)) {
        assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();
      }
    }
  }

  @Test
  void refusesAnUntrustedServer() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.startTls(serverContext(false))) {
      TlsOptions tls =
          TlsOptions.trusting(clientCert.certificate().toPath()).withServerName("localhost");
      assertThatThrownBy(() -> connect(server, tls).get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class)
          .hasMessageContaining("TLS handshake failed")
          .hasMessageContaining("certification path");
    }
  }

  @Test
  void refusesAWrongHostName() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.startTls(serverContext(false))) {
      TlsOptions tls =
          TlsOptions.trusting(serverCert.certificate().toPath()).withServerName("db.example.org");
      assertThatThrownBy(() -> connect(server, tls).get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class)
          .hasMessageContaining("TLS handshake failed")
          .hasMessageContaining("db.example.org");
    }
  }

  @Test
  void insecureTrustsAnything() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.startTls(serverContext(false))) {
      TlsOptions tls = TlsOptions.trusting(null).withInsecure(true);
      try (RcpClient client = connect(server, tls).get(10, TimeUnit.SECONDS)) {
        assertThat(client.isOpen()).isTrue();
      }
    }
  }

  @Test
  void mutualTlsNeedsTheClientCertificate() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.startTls(serverContext(true))) {
      TlsOptions tls =
          TlsOptions.trusting(serverCert.certificate().toPath()).withServerName("localhost");
      try (RcpClient client =
          connect(
                  server,
                  tls.withClientCertificate(
                      clientCert.certificate().toPath(), clientCert.privateKey().toPath()))
              .get(10, TimeUnit.SECONDS)) {
        assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();
      }
      assertThatThrownBy(() -> connect(server, tls).get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class);
    }
  }

  @Test
  void unreadableCaFileFailsBeforeConnecting() {
    TlsOptions tls = TlsOptions.trusting(java.nio.file.Path.of("/nonexistent/ca.pem"));
    CompletableFuture<RcpClient> connecting =
        RcpClient.connect(ClientOptions.of("127.0.0.1", 1).withTls(tls));
    assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpException.class)
        .hasMessage("invalid TLS settings: CA certificate file not found: /nonexistent/ca.pem");
  }

  @Test
  void aTlsClientAgainstAPlainServerIsToldSo() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.start()) {
      TlsOptions tls = TlsOptions.trusting(serverCert.certificate().toPath());
      assertThatThrownBy(() -> connect(server, tls).get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class)
          .hasMessageContaining("TLS handshake failed");
    }
  }

  @Test
  void aPlainClientAgainstATlsServerGetsAHint() throws Exception {
    try (FakeRcpServer server = FakeRcpServer.startTls(serverContext(false))) {
      assertThatThrownBy(
              () ->
                  RcpClient.connect(ClientOptions.of("127.0.0.1", server.port()))
                      .get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class)
          .hasMessageContaining("before answering HELLO")
          .hasMessageContaining("TLS");
    }
  }

  @Test
  void aSilentServerIsReportedAsTheConnectTimeoutNotAsATlsMismatch() throws Exception {
    // Accepts TCP and never says anything: the client's own deadline closes the connection, so
    // "the server closed the connection (is TLS enabled on it?)" would send the user the wrong way.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  held.add(silent.accept());
                } catch (java.io.IOException e) {
                  // closed
                }
              });
      acceptor.start();
      TlsOptions tls = TlsOptions.trusting(serverCert.certificate().toPath());
      CompletableFuture<RcpClient> connecting =
          RcpClient.connect(
              ClientOptions.of("127.0.0.1", silent.getLocalPort())
                  .withTls(tls)
                  .withConnectTimeout(java.time.Duration.ofMillis(300)));
      assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class)
          .hasMessageContaining("TLS handshake not finished within 300 ms")
          .hasMessageNotContaining("server closed");
      for (java.net.Socket s : held) {
        s.close();
      }
    }
  }

  private static CompletableFuture<RcpClient> connect(FakeRcpServer server, TlsOptions tls) {
    return RcpClient.connect(ClientOptions.of("127.0.0.1", server.port()).withTls(tls));
  }

  private static SslContext serverContext(boolean requireClientCert) throws Exception {
    SslContextBuilder builder =
        SslContextBuilder.forServer(serverCert.certificate(), serverCert.privateKey());
    if (requireClientCert) {
      builder.clientAuth(ClientAuth.REQUIRE).trustManager(clientCert.certificate());
    }
    return builder.build();
  }
}
