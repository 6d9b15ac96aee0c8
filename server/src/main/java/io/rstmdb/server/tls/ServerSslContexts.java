package io.rstmdb.server.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.rstmdb.protocol.tls.PemFiles;
import io.rstmdb.server.config.ConfigException;
import io.rstmdb.server.config.TlsConfig;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Builds the listener's TLS context from PEM files: TLS 1.2 and 1.3, no ALPN, client certificates
 * required and checked against {@code client_ca_path} when mTLS is on. Every problem surfaces at
 * startup as a {@link ConfigException}.
 */
public final class ServerSslContexts {

  private ServerSslContexts() {}

  /** The context, or empty when TLS is disabled. */
  public static Optional<SslContext> build(TlsConfig tls) {
    if (!tls.enabled()) {
      return Optional.empty();
    }
    if (tls.certPath() == null) {
      throw new ConfigException("tls.cert_path", "required when tls.enabled is true");
    }
    if (tls.keyPath() == null) {
      throw new ConfigException("tls.key_path", "required when tls.enabled is true");
    }
    List<X509Certificate> chain = certificates(tls.certPath(), "tls.cert_path");
    PrivateKey key = privateKey(tls.keyPath(), "tls.key_path");
    requireMatch(key, chain.get(0));
    SslContextBuilder builder =
        SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3", "TLSv1.2");
    if (tls.requireClientCert()) {
      if (tls.clientCaPath() == null) {
        throw new ConfigException(
            "tls.client_ca_path", "required when tls.require_client_cert is true");
      }
      List<X509Certificate> cas = certificates(tls.clientCaPath(), "tls.client_ca_path");
      builder.clientAuth(ClientAuth.REQUIRE).trustManager(cas.toArray(X509Certificate[]::new));
    }
    try {
      return Optional.of(builder.build());
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException(
          "tls.key_path",
          "the key does not fit the certificate or is unusable: " + e.getMessage(),
          e);
    }
  }

  /** The file's certificates; a problem is a configuration error naming {@code key}. */
  private static List<X509Certificate> certificates(Path path, String key) {
    try {
      return PemFiles.certificates(path);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage(), e);
    }
  }

  /** The file's private key; a problem is a configuration error naming {@code key}. */
  private static PrivateKey privateKey(Path path, String key) {
    try {
      return PemFiles.privateKey(path);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage(), e);
    }
  }

  /**
   * Netty's JDK provider accepts a key that does not belong to the certificate and only fails
   * later, in every handshake; a test signature finds that at startup.
   */
  private static void requireMatch(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = "rstmdb key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new ConfigException(
            "tls.key_path", "the private key does not belong to the certificate in tls.cert_path");
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          "tls.key_path",
          "the private key does not fit the certificate in tls.cert_path: " + e.getMessage(),
          e);
    }
  }
}
