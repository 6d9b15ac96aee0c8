package io.rstmdb.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests and their lowercase hex form (decision 2 of the spec). */
final class Sha256 {
  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must ship SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The digest of what was fed so far, leaving {@code digest} untouched for further updates. */
  static byte[] peek(MessageDigest digest) {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static String hexOf(byte[] content) {
    return hex(newDigest().digest(content));
  }
}
