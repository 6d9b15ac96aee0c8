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
 * @param message human-readable text; never a stack trace
 * @param details extra machine-readable facts (e.g. {@code oldest_offset}); never null
 */
public record WireError(ErrorCode code, String message, Map<String, Object> details) {

  public WireError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    details =
        details == null || details.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(details));
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
