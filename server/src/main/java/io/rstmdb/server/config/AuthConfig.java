package io.rstmdb.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Bearer-token authentication.
 *
 * @param tokenHashes lowercase hex SHA-256 of accepted tokens, used verbatim
 * @param secretsFile optional file with more hashes, one per line ({@code #} comments, blanks
 *     skipped); {@code null} when not set
 */
public record AuthConfig(boolean required, List<String> tokenHashes, Path secretsFile) {

  public AuthConfig {
    tokenHashes = List.copyOf(tokenHashes);
  }

  public static AuthConfig defaults() {
    return new AuthConfig(false, List.of(), null);
  }

  public AuthConfig withRequired(boolean value) {
    return new AuthConfig(value, tokenHashes, secretsFile);
  }

  public AuthConfig withTokenHashes(List<String> value) {
    return new AuthConfig(required, value, secretsFile);
  }

  public AuthConfig withSecretsFile(Path value) {
    return new AuthConfig(required, tokenHashes, value);
  }
}
