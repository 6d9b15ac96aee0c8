package io.rstmdb.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks bearer tokens against configured SHA-256 hashes (lowercase hex, as {@code rstmdb-cli
 * hash-token} prints them). The comparison runs over every configured hash with {@link
 * MessageDigest#isEqual}, so the time taken does not reveal which hash, or how much of one,
 * matched.
 */
public final class TokenAuthenticator {

  private final boolean required;
  private final List<byte[]> hashes;

  /**
   * @param required whether sessions must authenticate before using gated operations
   * @param tokenHashes the accepted hashes, compared verbatim (an uppercase hash never matches, as
   *     in the reference)
   */
  public TokenAuthenticator(boolean required, List<String> tokenHashes) {
    this.required = required;
    this.hashes = tokenHashes.stream().map(h -> h.getBytes(StandardCharsets.US_ASCII)).toList();
  }

  /** Whether gated operations need a successful AUTH first. */
  public boolean required() {
    return required;
  }

  /** How many hashes are configured. */
  public int hashCount() {
    return hashes.size();
  }

  /**
   * Whether the token is accepted. With auth off, any non-empty token is (reference behaviour);
   * with auth on, its hash must be one of the configured ones.
   */
  public boolean accepts(String token) {
    if (token == null || token.isEmpty()) {
      return false;
    }
    if (!required) {
      return true;
    }
    byte[] presented = hashHex(token).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (byte[] candidate : hashes) {
      match |= MessageDigest.isEqual(presented, candidate);
    }
    return match;
  }

  /** Lowercase hex SHA-256 of the token's UTF-8 bytes. */
  public static String hashHex(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
