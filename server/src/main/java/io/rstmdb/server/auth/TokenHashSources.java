package io.rstmdb.server.auth;

import io.rstmdb.core.error.IoReason;
import io.rstmdb.server.config.AuthConfig;
import io.rstmdb.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    warnAboutUnusableEntries(hashes);
    if (config.secretsFile() != null) {
      warnIfOthersCanRead(config.secretsFile());
    }
    if (config.required() && hashes.isEmpty()) {
      throw new ConfigException(
          "auth.token_hashes",
          "auth.required is true but no token hashes are configured (token_hashes,"
              + " RSTMDB_AUTH_TOKEN_HASH or secrets_file)");
    }
    return new TokenAuthenticator(config.required(), hashes);
  }

  /**
   * An entry that is not a SHA-256 digest in lowercase hex can never match, and is most often a
   * token pasted where its hash belongs: say so (by position, never the value). A warning, not a
   * refusal, because the reference starts with such entries too, and one dead entry is not a reason
   * to keep the others from working.
   */
  private static void warnAboutUnusableEntries(List<String> hashes) {
    for (int i = 0; i < hashes.size(); i++) {
      if (!SHA256_HEX.matcher(hashes.get(i)).matches()) {
        LOG.warn(
            "token hash {} of {} is not 64 lowercase hex characters (a SHA-256 digest); no token"
                + " can match it. Store `rstmdb-cli hash-token TOKEN`, not the token itself",
            i + 1,
            hashes.size());
      }
    }
  }

  /** The secrets file guards the only credential there is: others must not be able to read it. */
  private static void warnIfOthersCanRead(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn(
            "auth.secrets_file {} can be read by its group or by others ({}); chmod 600 it",
            file,
            PosixFilePermissions.toString(permissions));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not a POSIX file system, or the file just vanished: the read above already succeeded.
    }
  }

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Logger LOG = LoggerFactory.getLogger(TokenHashSources.class);
}
