package io.rstmdb.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The result of a bench run, for people or (with {@code --json}) for scripts. */
record BenchSummary(
    String scenario,
    int connections,
    int pipeline,
    double seconds,
    double warmupSeconds,
    long ops,
    long p50,
    long p90,
    long p99,
    long p999,
    long max,
    double mean,
    Map<String, Long> errors) {

  static BenchSummary of(
      Scenario scenario,
      int connections,
      int pipeline,
      double seconds,
      double warmup,
      Histogram h,
      Map<String, Long> errors) {
    boolean empty = h.getTotalCount() == 0;
    return new BenchSummary(
        scenario.wireName(),
        connections,
        pipeline,
        seconds,
        warmup,
        h.getTotalCount(),
        empty ? 0 : h.getValueAtPercentile(50),
        empty ? 0 : h.getValueAtPercentile(90),
        empty ? 0 : h.getValueAtPercentile(99),
        empty ? 0 : h.getValueAtPercentile(99.9),
        empty ? 0 : h.getMaxValue(),
        empty ? 0 : h.getMean(),
        errors);
  }

  double opsPerSecond() {
    return seconds <= 0 ? 0 : ops / seconds;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode json =
        mapper
            .createObjectNode()
            .put("scenario", scenario)
            .put("connections", connections)
            .put("pipeline", pipeline)
            .put("duration_secs", round(seconds))
            .put("warmup_secs", round(warmupSeconds))
            .put("ops", ops)
            .put("ops_per_sec", round(opsPerSecond()))
            .put("error_count", errorCount());
    ObjectNode latency = json.putObject("latency_us");
    latency.put("p50", p50).put("p90", p90).put("p99", p99).put("p99_9", p999);
    latency.put("max", max).put("mean", round(mean));
    ObjectNode byCode = json.putObject("errors");
    errors.forEach(byCode::put);
    return json;
  }

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "Scenario %s: %d connections x pipeline %d, %.1f s measured after %.1f s warm-up%n",
        scenario,
        connections,
        pipeline,
        seconds,
        warmupSeconds);
    out.printf(Locale.ROOT, "  ops:         %d (%.1f ops/s)%n", ops, opsPerSecond());
    out.printf(
        Locale.ROOT,
        "  latency us:  p50 %d  p90 %d  p99 %d  p99.9 %d  max %d  (mean %.1f)%n",
        p50,
        p90,
        p99,
        p999,
        max,
        mean);
    StringBuilder errorText = new StringBuilder();
    errors.forEach(
        (code, n) ->
            errorText
                .append(errorText.length() == 0 ? "" : ", ")
                .append(code)
                .append('=')
                .append(n));
    out.println("  errors:      " + (errorText.length() == 0 ? "none" : errorText));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
