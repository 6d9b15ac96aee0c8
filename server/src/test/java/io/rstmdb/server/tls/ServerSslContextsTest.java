package io.rstmdb.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.server.config.ConfigException;
import io.rstmdb.server.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerSslContextsTest {

  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCertificates(dir);
  }

  @ParameterizedTest
  @EnumSource(TestCertificates.KeyFormat.class)
  void loadsEveryPemKeyFormat(TestCertificates.KeyFormat format) throws Exception {
    TestCertificates.Issued server = certs.issue("server-" + format, format);
    String header = Files.readString(server.key()).lines().findFirst().orElseThrow();
    assertThat(header)
        .isEqualTo(
            switch (format) {
              case PKCS1_RSA -> "-----BEGIN RSA PRIVATE KEY-----";
              case SEC1_EC -> "-----BEGIN EC PRIVATE KEY-----";
              case PKCS8_RSA, PKCS8_EC -> "-----BEGIN PRIVATE KEY-----";
            });
    assertThat(ServerSslContexts.build(TlsConfig.server(server.cert(), server.key())))
        .hasValueSatisfying(ctx -> assertThat(ctx.isServer()).isTrue());
  }

  @Test
  void disabledMeansNoContext() {
    assertThat(ServerSslContexts.build(TlsConfig.defaults())).isEmpty();
  }

  @Test
  void mutualTlsNeedsAReadableCa() throws Exception {
    TestCertificates.Issued server = certs.issue("mtls", TestCertificates.KeyFormat.SEC1_EC);
    assertThat(
            ServerSslContexts.build(
                TlsConfig.server(server.cert(), server.key()).withClientCa(server.caCert())))
        .isPresent();
    assertThatThrownBy(
            () ->
                ServerSslContexts.build(
                    TlsConfig.server(server.cert(), server.key())
                        .withClientCa(dir.resolve("missing.pem"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: tls.client_ca_path:");
  }

  @Test
  void unusableFilesNameTheirKey() throws Exception {
    TestCertificates.Issued server = certs.issue("bad", TestCertificates.KeyFormat.SEC1_EC);
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a pem file\n");
    assertThatThrownBy(() -> ServerSslContexts.build(TlsConfig.server(garbage, server.key())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: tls.cert_path:");
    assertThatThrownBy(() -> ServerSslContexts.build(TlsConfig.server(server.cert(), garbage)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: tls.key_path:");
    assertThatThrownBy(
            () -> ServerSslContexts.build(TlsConfig.server(dir.resolve("nope.pem"), server.key())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.pem");
    // The key of one certificate with another's certificate does not fit.
    TestCertificates.Issued other = certs.issue("other", TestCertificates.KeyFormat.SEC1_EC);
    assertThatThrownBy(() -> ServerSslContexts.build(TlsConfig.server(server.cert(), other.key())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: tls.key_path:");
  }
}
