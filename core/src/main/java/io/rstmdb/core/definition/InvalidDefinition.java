package io.rstmdb.core.definition;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;

/** Builds the BAD_REQUEST every definition failure is reported as (decision 3). */
final class InvalidDefinition {
  static final String PREFIX = "invalid machine definition: ";

  private InvalidDefinition() {}

  static RstmdbException because(String reason) {
    return new RstmdbException(ErrorCode.BAD_REQUEST, PREFIX + reason);
  }

  static RstmdbException because(String reason, Throwable cause) {
    return new RstmdbException(ErrorCode.BAD_REQUEST, PREFIX + reason, cause);
  }
}
