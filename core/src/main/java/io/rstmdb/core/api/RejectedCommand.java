package io.rstmdb.core.api;

import io.rstmdb.core.error.RstmdbException;

/**
 * A batch item that could not be turned into a command (unknown or disallowed op, bad params). It
 * fails on its own in best-effort mode and fails the whole batch in atomic mode.
 */
public record RejectedCommand(RstmdbException error) implements Command {}
