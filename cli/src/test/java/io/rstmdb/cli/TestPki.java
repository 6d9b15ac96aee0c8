package io.rstmdb.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA that issues PEM certificates for TLS tests (EC P-256, PKCS#8 keys). */
final class TestPki {

  record Issued(Path cert, Path key) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final AtomicLong serial = new AtomicLong(1);

  TestPki(Path dir) throws Exception {
    this.dir = dir;
    this.caKeys = keys();
    X500Name name = new X500Name("CN=rstmdb test CA");
    X509v3CertificateBuilder b = builder(name, name, caKeys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    this.caCert = sign(b, caKeys);
  }

  /** The CA certificate as a PEM file. */
  Path caPem() throws IOException, GeneralSecurityException {
    return write("ca.pem", pem("CERTIFICATE", caCert.getEncoded()));
  }

  /** A leaf certificate for {@code 127.0.0.1} and {@code localhost}, signed by this CA. */
  Issued issue(String name) throws Exception {
    KeyPair keys = keys();
    X509v3CertificateBuilder b =
        builder(new X500Name("CN=rstmdb test CA"), new X500Name("CN=" + name), keys);
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
    X509Certificate cert = sign(b, caKeys);
    return new Issued(
        write(name + ".pem", pem("CERTIFICATE", cert.getEncoded())),
        write(name + "-key.pem", pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(serial.getAndIncrement()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private Path write(String file, String text) throws IOException {
    return Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
  }
}
