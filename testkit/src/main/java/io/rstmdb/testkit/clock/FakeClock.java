package io.rstmdb.testkit.clock;

import io.rstmdb.core.port.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that only moves when a test moves it. Thread-safe: the engine may read it on its
 * sequencer thread while the test advances it from another.
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();              // 2026-01-01T00:00:00Z
 * Engine engine = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
 * clock.advance(Duration.ofHours(25));            // idempotency keys expire
 * }</pre>
 */
public final class FakeClock implements Clock {
  /** 2026-01-01T00:00:00Z, a fixed and readable default. */
  public static final long DEFAULT_START_MILLIS = 1_767_225_600_000L;

  private final AtomicLong now;

  /** Starts at {@link #DEFAULT_START_MILLIS}. */
  public FakeClock() {
    this(DEFAULT_START_MILLIS);
  }

  /** Starts at {@code startMillis} since the Unix epoch. */
  public FakeClock(long startMillis) {
    this.now = new AtomicLong(startMillis);
  }

  /** Starts at {@code start}. */
  public static FakeClock at(Instant start) {
    return new FakeClock(start.toEpochMilli());
  }

  @Override
  public long millis() {
    return now.get();
  }

  /** The current time as an {@link Instant}. */
  public Instant instant() {
    return Instant.ofEpochMilli(now.get());
  }

  /** Jumps to {@code millis}; going backwards is allowed, to test clock steps. */
  public void set(long millis) {
    now.set(millis);
  }

  /** Jumps to {@code instant}. */
  public void set(Instant instant) {
    set(instant.toEpochMilli());
  }

  /**
   * Moves forward by {@code millis}.
   *
   * @return the new time
   * @throws IllegalArgumentException when {@code millis} is negative (use {@link #set} to go back)
   */
  public long advanceMillis(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("cannot advance by a negative amount: " + millis);
    }
    return now.addAndGet(millis);
  }

  /** Moves forward by {@code amount}; see {@link #advanceMillis}. */
  public long advance(Duration amount) {
    return advanceMillis(amount.toMillis());
  }

  @Override
  public String toString() {
    return "FakeClock[" + instant() + "]";
  }
}
