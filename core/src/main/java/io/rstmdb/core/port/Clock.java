package io.rstmdb.core.port;

/**
 * Wall-clock time for the sequencer. The engine reads it only when it creates a WAL entry and
 * stamps the value into that entry; replay uses the stamped value, never the clock.
 */
@FunctionalInterface
public interface Clock {
  /** Milliseconds since the Unix epoch. */
  long millis();

  /** The system clock. */
  static Clock system() {
    return System::currentTimeMillis;
  }
}
