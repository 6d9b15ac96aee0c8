package io.rstmdb.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * Reads PEM certificates and private keys, for the server and the client alike. Keys may be PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); the
 * first one found is used and other blocks are skipped, as in the reference server and CLI. Netty's
 * own loader accepts PKCS#8 only, hence Bouncy Castle's parser. Problems are {@link
 * IllegalArgumentException}s whose message names the file and what is wrong, in one line.
 */
public final class PemFiles {

  private PemFiles() {}

  /** All certificates in a PEM file, in file order (leaf first for a chain). */
  public static List<X509Certificate> certificates(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate found in " + path);
      }
      return certs;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + reason(e), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a valid PEM certificate file: " + path, e);
    }
  }

  /** The first private key in a PEM file. */
  public static PrivateKey privateKey(Path path) {
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
      throw new IllegalArgumentException("no private key found in " + path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read a private key from " + path + ": " + reason(e), e);
    }
  }

  /** The JDK names a missing file by its path alone; say what is wrong instead. */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException fs
        && fs.getReason() != null
        && !fs.getReason().isBlank()) {
      return fs.getReason();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
