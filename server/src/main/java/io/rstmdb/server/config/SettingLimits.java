package io.rstmdb.server.config;

/**
 * Upper bounds of the settings given in seconds or megabytes. The server works in milliseconds,
 * nanoseconds and bytes; beyond these a setting's conversion overflows a {@code long} and the
 * server failed to start with a stack trace instead of a configuration error.
 */
final class SettingLimits {
  private SettingLimits() {}

  /** A century: in nanoseconds still below {@code Long.MAX_VALUE}. */
  static final long MAX_SECONDS = 100L * 365 * 24 * 3600;

  /** The most megabytes that still fit a {@code long} as bytes. */
  static final long MAX_MEGABYTES = Long.MAX_VALUE >> 20;
}
