package io.rstmdb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.guard.Guard;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of a guard on the apply path: a three-clause guard compiled once (as when a definition is
 * stored) and evaluated against a small context, once where every clause must be checked and once
 * where the first clause short-circuits. {@code compile} shows what PUT_MACHINE pays per guard.
 *
 * <p>Run: {@code mvn -Pbench -DskipTests package && java -jar benchmarks/target/benchmarks.jar
 * GuardBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GuardBench {
  private static final String TEXT =
      "ctx.amount > 100 && ctx.customer.tier == \"gold\" && !ctx.flags.blocked";

  private Guard guard;
  private JsonNode passing;
  private JsonNode failingFirst;

  @Setup
  public void setUp() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    guard = Guard.compile(TEXT);
    passing =
        mapper.readTree(
            "{\"amount\":150,\"customer\":{\"tier\":\"gold\",\"id\":\"c-1\"},"
                + "\"flags\":{\"blocked\":false},\"items\":[1,2,3]}");
    failingFirst =
        mapper.readTree(
            "{\"amount\":50,\"customer\":{\"tier\":\"gold\",\"id\":\"c-1\"},"
                + "\"flags\":{\"blocked\":false},\"items\":[1,2,3]}");
  }

  /** All three clauses evaluated; the guard holds. */
  @Benchmark
  public boolean evaluateAllClauses() {
    return guard.test(passing);
  }

  /** The first clause is false, so {@code &&} stops there. */
  @Benchmark
  public boolean evaluateShortCircuit() {
    return guard.test(failingFirst);
  }

  /** Parsing the text into its evaluation tree. */
  @Benchmark
  public Guard compile() {
    return Guard.compile(TEXT);
  }
}
