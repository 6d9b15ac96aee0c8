package io.rstmdb.server.config;

import java.nio.file.Path;

/**
 * TLS for the RCP listener, from PEM files. Paths are {@code null} when not set.
 *
 * @param requireClientCert mutual TLS: clients must present a certificate signed by a CA in {@code
 *     clientCaPath}
 */
public record TlsConfig(
    boolean enabled, Path certPath, Path keyPath, boolean requireClientCert, Path clientCaPath) {

  public static TlsConfig defaults() {
    return new TlsConfig(false, null, null, false, null);
  }

  /** Server TLS with the given certificate chain and key. */
  public static TlsConfig server(Path certPath, Path keyPath) {
    return new TlsConfig(true, certPath, keyPath, false, null);
  }

  /** Requires client certificates signed by a CA in {@code caPath}. */
  public TlsConfig withClientCa(Path caPath) {
    return new TlsConfig(enabled, certPath, keyPath, true, caPath);
  }
}
