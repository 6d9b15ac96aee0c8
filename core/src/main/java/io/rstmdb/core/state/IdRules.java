package io.rstmdb.core.state;

import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.json.LoneSurrogates;
import java.nio.charset.StandardCharsets;

/** The rules every instance id and machine name must follow before it is stored. */
public final class IdRules {
  /** Longest id in UTF-8 bytes. */
  public static final int MAX_BYTES = 256;

  /** Largest machine version (the protocol carries it as u32). */
  public static final long MAX_VERSION = 0xFFFF_FFFFL;

  private IdRules() {}

  /**
   * Rejects a missing id, one longer than {@link #MAX_BYTES} UTF-8 bytes, or one holding a control
   * character or a lone surrogate, with BAD_REQUEST naming {@code what}. The empty string is an id
   * like any other (the protocol says so); the limits keep ids printable and bounded in logs,
   * listings and events.
   */
  public static void check(String what, String id) {
    if (id == null) {
      throw RstmdbException.badRequest("missing field '" + what + "'");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw RstmdbException.badRequest(what + " is longer than " + MAX_BYTES + " bytes");
    }
    if (id.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)) {
      throw RstmdbException.badRequest(what + " must not contain control characters");
    }
    // A lone surrogate (JSON "\ud800") has no UTF-8 form: stored, it would come back as '?', an id
    // that finds nothing.
    if (LoneSurrogates.in(id)) {
      throw RstmdbException.badRequest(what + " must not contain a lone UTF-16 surrogate");
    }
  }

  /** Rejects a version outside 0..2^32-1 with BAD_REQUEST. */
  public static void checkVersion(long version) {
    if (version < 0 || version > MAX_VERSION) {
      throw RstmdbException.badRequest("version must be between 0 and " + MAX_VERSION);
    }
  }
}
