package io.rstmdb.server.auth;

import io.rstmdb.core.error.IoReason;
import io.rstmdb.server.config.AuthConfig;
import io.rstmdb.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the configured token hashes: {@code auth.token_hashes} (which already holds {@code
 * RSTMDB_AUTH_TOKEN_HASH}) and the lines of {@code auth.secrets_file} (trimmed; blank lines and
 * {@code #} comments skipped).
 */
public final class TokenHashSources {

  private TokenHashSources() {}

  /**
   * Builds the authenticator for a configuration.
   *
   * @throws ConfigException when the secrets file cannot be read, or auth is required and no hash
   *     is configured at all
   */
  public static TokenAuthenticator authenticator(AuthConfig config) {
    List<String> hashes = new ArrayList<>(config.tokenHashes());
    if (config.secretsFile() != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(config.secretsFile(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(
            "auth.secrets_file",
            "cannot read " + config.secretsFile() + ": " + IoReason.reasonOf(e),
            e);
      }
      for (String line : lines) {
        String trimmed = line.trim();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          hashes.add(trimmed);
        }
      }
    }
    if (config.required() && hashes.isEmpty()) {
      throw new ConfigException(
          "auth.token_hashes",
          "auth.required is true but no token hashes are configured (token_hashes,"
              + " RSTMDB_AUTH_TOKEN_HASH or secrets_file)");
    }
    return new TokenAuthenticator(config.required(), hashes);
  }
}
