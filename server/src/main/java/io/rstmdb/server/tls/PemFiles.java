package io.rstmdb.server.tls;

import io.rstmdb.core.error.IoReason;
import io.rstmdb.server.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM certificates and private keys. Keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code
 * RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); the first one found is used and other blocks
 * are skipped, as in the reference. Netty's own loader accepts PKCS#8 only, hence Bouncy Castle's
 * parser.
 */
public final class PemFiles {

  private PemFiles() {}

  /**
   * All certificates in a PEM file, in file order (leaf first for a chain).
   *
   * @param key the configuration key to name in errors
   */
  public static List<X509Certificate> certificates(Path path, String key) {
    try (InputStream in = Files.newInputStream(path)) {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certs.isEmpty()) {
        throw new ConfigException(key, "no certificate found in " + path);
      }
      return certs;
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + path + ": " + IoReason.reasonOf(e), e);
    } catch (CertificateException e) {
      throw new ConfigException(key, "not a valid PEM certificate file: " + path, e);
    }
  }

  /**
   * The first private key in a PEM file.
   *
   * @param key the configuration key to name in errors
   */
  public static PrivateKey privateKey(Path path, String key) {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
      throw new ConfigException(key, "no private key found in " + path);
    } catch (IOException e) {
      throw new ConfigException(
          key, "cannot read a private key from " + path + ": " + IoReason.reasonOf(e), e);
    }
  }
}
