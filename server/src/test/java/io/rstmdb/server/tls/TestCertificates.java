package io.rstmdb.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Makes a throwaway CA, server and client certificates as PEM files for TLS tests. */
public final class TestCertificates {

  /** How a private key is written. */
  public enum KeyFormat {
    /** {@code RSA PRIVATE KEY}. */
    PKCS1_RSA,
    /** {@code EC PRIVATE KEY}. */
    SEC1_EC,
    /** {@code PRIVATE KEY} holding RSA. */
    PKCS8_RSA,
    /** {@code PRIVATE KEY} holding EC. */
    PKCS8_EC
  }

  /** Paths of one issued certificate and its key, plus the CA that signed it. */
  public record Issued(Path cert, Path key, Path caCert) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private int serial = 1;

  public TestCertificates(Path dir) throws Exception {
    this.dir = dir;
    // EC keys are quick to make; RSA is generated only where a test needs its PEM formats.
    this.caKeys = ec();
    X500Name name = new X500Name("CN=rstmdb test CA");
    X509v3CertificateBuilder b = builder(name, name, caKeys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    this.caCert = sign(b, caKeys.getPrivate());
    write(dir.resolve("ca.pem"), caCert);
  }

  public Path caCertPath() {
    return dir.resolve("ca.pem");
  }

  /** A certificate for 127.0.0.1/localhost signed by the CA. */
  public Issued issue(String name, KeyFormat format) throws Exception {
    KeyPair keys = format == KeyFormat.SEC1_EC || format == KeyFormat.PKCS8_EC ? ec() : rsa();
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
    X509Certificate cert = sign(b, caKeys.getPrivate());
    Path certPath = dir.resolve(name + ".pem");
    Path keyPath = dir.resolve(name + "-key.pem");
    write(certPath, cert);
    writeKey(keyPath, keys.getPrivate(), format);
    return new Issued(certPath, keyPath, caCertPath());
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(serial++),
        Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static void write(Path path, Object pem) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(pem);
    }
    Files.writeString(path, out.toString());
  }

  private static void writeKey(Path path, PrivateKey key, KeyFormat format) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      switch (format) {
        case PKCS8_RSA, PKCS8_EC -> w.writeObject(new JcaPKCS8Generator(key, null));
        case PKCS1_RSA -> w.writeObject(new JcaMiscPEMGenerator(key));
        case SEC1_EC -> {
          // As openssl writes it: the curve inside the SEC1 structure.
          PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
          ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
          ECPrivateKey sec1 =
              new ECPrivateKey(
                  256,
                  inner.getKey(),
                  inner.getPublicKey(),
                  info.getPrivateKeyAlgorithm().getParameters());
          w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
      }
    }
    Files.writeString(path, out.toString());
  }
}
