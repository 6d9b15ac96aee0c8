package io.rstmdb.protocol.client;

import java.nio.file.Path;

/**
 * TLS settings of a client connection. PEM files; a private key must be PKCS#8.
 *
 * @param enabled whether to speak TLS at all
 * @param caCert CA bundle to trust; null = the JDK's default trust store
 * @param clientCert client certificate chain for mutual TLS; null = none
 * @param clientKey private key of {@code clientCert}
 * @param insecure trust any server certificate and skip host-name checks (testing only)
 * @param serverName name to send as SNI and to verify; null = the host the client connects to
 */
public record TlsOptions(
    boolean enabled,
    Path caCert,
    Path clientCert,
    Path clientKey,
    boolean insecure,
    String serverName) {

  public TlsOptions {
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException("clientCert and clientKey must be given together");
    }
  }

  /** Plain TCP. */
  public static TlsOptions disabled() {
    return new TlsOptions(false, null, null, null, false, null);
  }

  /** TLS trusting {@code caCert} (null = JDK trust store), verifying the host name. */
  public static TlsOptions trusting(Path caCert) {
    return new TlsOptions(true, caCert, null, null, false, null);
  }

  public TlsOptions withClientCertificate(Path cert, Path key) {
    return new TlsOptions(enabled, caCert, cert, key, insecure, serverName);
  }

  public TlsOptions withInsecure(boolean value) {
    return new TlsOptions(enabled, caCert, clientCert, clientKey, value, serverName);
  }

  public TlsOptions withServerName(String value) {
    return new TlsOptions(enabled, caCert, clientCert, clientKey, insecure, value);
  }
}
