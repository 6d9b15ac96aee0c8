package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.server.config.TlsConfig;
import io.rstmdb.server.tls.TestCertificates;
import io.rstmdb.server.tls.TestCertificates.KeyFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIT {

  @TempDir Path dir;

  @Test
  void verifiedInsecureAndRefusedConnections() throws Exception {
    TestCertificates pki = new TestCertificates(dir);
    TestCertificates.Issued serverCert = pki.issue("server", KeyFormat.PKCS8_EC);
    String ca = pki.caCertPath().toString();
    try (EmbeddedServer server =
        EmbeddedServer.start(
            dir.resolve("data"),
            c -> c.withTls(TlsConfig.server(serverCert.cert(), serverCert.key())))) {
      assertThat(server.cli("ping", "--ca-cert", ca).out()).isEqualTo("PONG\n");
      CliRun byName = server.cli("-s", "localhost:" + server.port(), "--ca-cert", ca, "ping");
      assertThat(byName.out()).as(byName.err()).isEqualTo("PONG\n");
      assertThat(server.cli("ping", "-k").out()).isEqualTo("PONG\n");

      CliRun untrusted = server.cli("ping", "--tls");
      assertThat(untrusted.exitCode()).isEqualTo(3);
      assertThat(untrusted.err())
          .startsWith(
              "ERROR: cannot connect to 127.0.0.1:" + server.port() + ": TLS handshake failed: ")
          .contains("certification path");
      assertThat(untrusted.err().lines()).hasSize(1);

      CliRun wrongName = server.cli("ping", "--ca-cert", ca, "--server-name", "db.example");
      assertThat(wrongName.exitCode()).isEqualTo(3);
      assertThat(wrongName.err()).contains("TLS handshake failed: ").contains("db.example");

      CliRun plain = server.cli("ping");
      assertThat(plain.exitCode()).isEqualTo(3);
      assertThat(plain.err().lines()).hasSize(1);
      assertThat(plain.err()).contains("before answering HELLO").contains("TLS");
    }
  }

  @Test
  void tlsAgainstAPlainServerSaysSoWithoutAHexDump() throws Exception {
    try (EmbeddedServer server = EmbeddedServer.start(dir.resolve("plain"), c -> c)) {
      CliRun run = server.cli("ping", "-k");
      assertThat(run.exitCode()).isEqualTo(3);
      assertThat(run.err())
          .isEqualTo(
              "ERROR: cannot connect to 127.0.0.1:"
                  + server.port()
                  + ": TLS handshake failed: the server did not answer in TLS (is TLS enabled on"
                  + " it?)\n");
    }
  }

  @Test
  void mutualTls() throws Exception {
    TestCertificates pki = new TestCertificates(dir);
    TestCertificates.Issued serverCert = pki.issue("server", KeyFormat.PKCS8_EC);
    TestCertificates.Issued clientCert = pki.issue("client", KeyFormat.PKCS8_EC);
    Path ca = pki.caCertPath();
    try (EmbeddedServer server =
        EmbeddedServer.start(
            dir.resolve("data"),
            c ->
                c.withTls(
                    TlsConfig.server(serverCert.cert(), serverCert.key()).withClientCa(ca)))) {
      CliRun withCert =
          server.cli(
              "ping",
              "--ca-cert",
              ca.toString(),
              "--client-cert",
              clientCert.cert().toString(),
              "--client-key",
              clientCert.key().toString());
      assertThat(withCert.out()).as(withCert.err()).isEqualTo("PONG\n");

      // Keys in the older formats the reference CLI takes, not only PKCS#8.
      for (KeyFormat format : new KeyFormat[] {KeyFormat.PKCS1_RSA, KeyFormat.SEC1_EC}) {
        TestCertificates.Issued older = pki.issue("client-" + format, format);
        CliRun run =
            server.cli(
                "ping",
                "--ca-cert",
                ca.toString(),
                "--client-cert",
                older.cert().toString(),
                "--client-key",
                older.key().toString());
        assertThat(run.out()).as(format + ": " + run.err()).isEqualTo("PONG\n");
      }

      CliRun withoutCert = server.cli("ping", "--ca-cert", ca.toString());
      assertThat(withoutCert.exitCode()).isEqualTo(3);
    }
  }
}
