package io.rstmdb.protocol.message;

import io.rstmdb.protocol.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code error} object of an error response (wire.md §4.3). {@code details} is omitted on the
 * wire when empty.
 *
 * @param code one of the 16 wire codes
 * @param message human-readable text; never a stack trace. Cut to {@link #MAX_MESSAGE_CHARS}: a
 *     message that quotes what the client sent (an unknown 16 MiB instance id, say) would otherwise
 *     make the answer too large to send, and the client would learn nothing about its mistake
 * @param details extra machine-readable facts (e.g. {@code oldest_offset}); never null; text values
 *     are cut like {@code message}
 */
public record WireError(ErrorCode code, String message, Map<String, Object> details) {

  /** Longest message sent as it is; longer ones are cut and say by how much. */
  public static final int MAX_MESSAGE_CHARS = 1024;

  public WireError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    message = bounded(message);
    details =
        details == null || details.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(boundedValues(details));
  }

  /**
   * Text values in details echo input too (a CONFLICT's {@code expected} state): cut them alike.
   */
  private static Map<String, Object> boundedValues(Map<String, Object> details) {
    Map<String, Object> copy = new LinkedHashMap<>(details);
    copy.replaceAll((key, value) -> value instanceof String text ? bounded(text) : value);
    return copy;
  }

  private static String bounded(String message) {
    return TextCut.of(message, MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS - 64)
        .map(cut -> cut.kept() + cut.note())
        .orElse(message);
  }

  /** An error without details. */
  public static WireError of(ErrorCode code, String message) {
    return new WireError(code, message, Map.of());
  }

  /** Whether a client may retry; a pure function of the code. */
  public boolean retryable() {
    return code.retryable();
  }
}
