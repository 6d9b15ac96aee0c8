package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.server.auth.TokenAuthenticator;
import io.rstmdb.server.dispatch.Params;

/**
 * One connection's authentication state (operations.md §2, decision 11): AUTH with {@code method}
 * defaulting to {@code bearer}, the gate for every op but HELLO/AUTH/PING/BYE, and the count of
 * failed attempts after which the connection must close. A failed AUTH never revokes an earlier
 * success.
 */
final class SessionAuth {

  /** Failed AUTH attempts after which the connection is closed. */
  static final int MAX_FAILED_ATTEMPTS = 5;

  private final TokenAuthenticator authenticator;
  private boolean authenticated;
  private int failures;

  SessionAuth(TokenAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Whether a gated op may run now. */
  boolean allows() {
    return authenticated || !authenticator.required();
  }

  /** Whether this session has authenticated at least once. */
  boolean authenticated() {
    return authenticated;
  }

  /** Failed attempts so far. */
  int failures() {
    return failures;
  }

  /** Whether the failures reached the limit and the connection must close. */
  boolean exhausted() {
    return failures >= MAX_FAILED_ATTEMPTS;
  }

  /**
   * Runs one AUTH.
   *
   * @throws RstmdbException BAD_REQUEST for malformed params (not counted as a failure),
   *     AUTH_FAILED for a wrong method or token (counted)
   */
  void attempt(JsonNode params) {
    Params p = Params.strict(params);
    String method = p.optionalString("method");
    String token = p.requiredString("token");
    if (method != null && !method.equals("bearer")) {
      throw failed("unsupported auth method: " + method);
    }
    if (!authenticator.accepts(token)) {
      throw failed(token.isEmpty() ? "empty token" : "invalid token");
    }
    authenticated = true;
  }

  private RstmdbException failed(String message) {
    failures++;
    return new RstmdbException(ErrorCode.AUTH_FAILED, message);
  }
}
