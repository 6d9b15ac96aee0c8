package io.rstmdb.core.state;

import io.rstmdb.core.error.RstmdbException;
import java.nio.charset.StandardCharsets;

/** The rules every instance id and machine name must follow before it is stored. */
public final class IdRules {
  /** Longest id in UTF-8 bytes. */
  public static final int MAX_BYTES = 256;

  /** Largest machine version (the protocol carries it as u32). */
  public static final long MAX_VERSION = 0xFFFF_FFFFL;

  private IdRules() {}

  /**
   * Rejects an empty id, one longer than {@link #MAX_BYTES} UTF-8 bytes, or one holding a control
   * character, with BAD_REQUEST naming {@code what}.
   */
  public static void check(String what, String id) {
    if (id == null || id.isEmpty()) {
      throw RstmdbException.badRequest(what + " must not be empty");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw RstmdbException.badRequest(what + " is longer than " + MAX_BYTES + " bytes");
    }
    if (id.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)) {
      throw RstmdbException.badRequest(what + " must not contain control characters");
    }
  }

  /** Rejects a version outside 0..2^32-1 with BAD_REQUEST. */
  public static void checkVersion(long version) {
    if (version < 0 || version > MAX_VERSION) {
      throw RstmdbException.badRequest("version must be between 0 and " + MAX_VERSION);
    }
  }
}
