package io.rstmdb.server.error;

import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.message.WireError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become wire errors. A {@link RstmdbException} keeps its code (the
 * core and wire enums name the same 16 codes) and gets the reference's message prefix; anything
 * else is a bug on our side: it is logged with its stack trace and the client sees only {@code
 * INTERNAL_ERROR "internal error"}.
 */
public final class WireErrors {

  private static final Logger LOG = LoggerFactory.getLogger(WireErrors.class);

  /** Maps any failure (futures' wrappers are unwrapped first). */
  public WireError toWire(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RstmdbException e) {
      ErrorCode code = ErrorCode.valueOf(e.code().name());
      return new WireError(code, prefixed(code, e.getMessage()), e.details());
    }
    LOG.error("unexpected failure while handling a request", cause);
    return WireError.of(ErrorCode.INTERNAL_ERROR, "internal error");
  }

  /** Strips {@link CompletionException}/{@link ExecutionException} layers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Adds the reference's message prefix for the code unless the message already has it. */
  static String prefixed(ErrorCode code, String message) {
    String text = message == null ? "" : message;
    String prefix =
        switch (code) {
          case BAD_REQUEST -> "invalid request: ";
          case AUTH_FAILED -> "authentication failed: ";
          case UNAUTHORIZED -> "";
          case WAL_IO_ERROR -> "WAL error: ";
          case MACHINE_VERSION_LIMIT_EXCEEDED -> "machine version limit exceeded: ";
          case INTERNAL_ERROR, RATE_LIMITED, UNSUPPORTED_PROTOCOL -> "";
          default -> "core error: ";
        };
    return text.startsWith(prefix) ? text : prefix + text;
  }
}
