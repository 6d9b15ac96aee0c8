package io.rstmdb.cli.connect;

import java.nio.file.Path;

/**
 * TLS choices of one CLI invocation; {@code enabled} is already resolved (a CA file or {@code
 * --insecure} implies TLS).
 */
public record TlsSettings(
    boolean enabled,
    Path caCert,
    Path clientCert,
    Path clientKey,
    boolean insecure,
    String serverName) {

  public static TlsSettings disabled() {
    return new TlsSettings(false, null, null, null, false, null);
  }
}
