package io.rstmdb.cli.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies (µs, HdrHistogram) and errors by code. Writers on the I/O threads only touch a
 * wait-free recorder and adders; one reporter thread folds intervals into the phase total.
 */
final class BenchStats {

  /** The error code of a request whose connection broke (not an error the server sent). */
  static final String CONNECTION = "CONNECTION";

  private final Recorder recorder = new Recorder(3);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private Histogram interval;
  private Histogram total = new Histogram(3);

  void success(long micros) {
    recorder.recordValue(Math.max(1, micros));
  }

  void error(String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** Moves what was recorded since the last call into the total; returns that interval. */
  synchronized Histogram roll() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return interval;
  }

  /**
   * Forgets warm-up results, except broken connections: a connection lost in the warm-up carries no
   * load in the measured window, and a run that lost one must not end as a success.
   */
  synchronized void reset() {
    roll();
    total = new Histogram(3);
    errors.keySet().retainAll(Set.of(CONNECTION));
  }

  synchronized Histogram total() {
    return total.copy();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> errorsByCode() {
    Map<String, Long> copy = new TreeMap<>();
    errors.forEach((code, n) -> copy.put(code, n.sum()));
    return copy;
  }
}
