package io.rstmdb.cli.bench;

import io.netty.channel.EventLoopGroup;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.UsageException;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.ConnectionSettings;
import io.rstmdb.cli.connect.RcpConnector;
import io.rstmdb.protocol.transport.Transport;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "bench",
    description = {
      "Load generator: drive a server and report ops/s, latency percentiles and errors.",
      "Scenarios: apply, create, get, mixed (50%% get, 40%% apply, 10%% create), walread, ping.",
      "Exit code 1 when any request failed."
    })
public final class BenchCommand implements Callable<Integer> {

  private final CliContext ctx;

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "apply",
      paramLabel = "SCENARIO",
      description = "apply (default), create, get, mixed, walread or ping.")
  String scenario;

  private static final long MAX_SECONDS = 365L * 24 * 3600;

  @Option(names = "--connections", defaultValue = "4", description = "Connections (default 4).")
  int connections;

  @Option(
      names = "--duration",
      defaultValue = "10",
      paramLabel = "SECS",
      description = "Measured seconds (default 10).")
  double duration;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "SECS",
      description = "Unmeasured seconds first (default 2).")
  double warmup;

  @Option(
      names = "--pipeline",
      defaultValue = "1",
      description = "Requests in flight per connection (default 1).")
  int pipeline;

  @Option(
      names = "--instances",
      defaultValue = "10",
      description = "Instances each connection creates and drives (default 10).")
  int instances;

  @Option(
      names = "--payload-bytes",
      defaultValue = "200",
      description = "Approximate JSON size of payloads and initial contexts (default 200).")
  int payloadBytes;

  @Option(
      names = "--io-threads",
      description =
          "Netty I/O threads shared by all connections (default: on io_uring half the cores,"
              + " else the cores; never more than the connections).")
  Integer ioThreads;

  public BenchCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    Scenario shape = validate();
    int threads =
        ioThreads != null
            ? ioThreads
            : defaultIoThreads(
                Transport.best(), connections, Runtime.getRuntime().availableProcessors());
    EventLoopGroup group = Transport.newBestGroup(threads);
    List<Connection> open = new ArrayList<>();
    try {
      RcpConnector connector = new RcpConnector(group);
      ConnectionSettings settings = ctx.global().settings(ctx.env());
      for (int i = 0; i < connections; i++) {
        open.add(connector.connect(settings));
      }
      BenchSummary summary = run(shape, open);
      if (ctx.global().json()) {
        ctx.out().println(ctx.printer().pretty(summary.toJson(ctx.mapper())));
      } else {
        summary.print(ctx.out());
      }
      ctx.out().flush();
      return summary.errorCount() == 0 ? ExitCode.OK.code() : ExitCode.SERVER_ERROR.code();
    } finally {
      open.forEach(Connection::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /**
   * I/O threads when {@code --io-threads} is not given. The tool mostly runs on the machine of the
   * server it measures, so its threads take cores from the server. On io_uring one event loop
   * serves many connections with a fraction of a system call per request, and a loop for every core
   * only adds wake-ups: half the cores, as the server takes. On epoll and NIO, where every read and
   * write is a system call of its own, a loop per core kept the tool from being the limit of
   * durable runs. Never more loops than connections (docs/performance.md, twelfth and seventeenth
   * runs).
   */
  static int defaultIoThreads(Transport transport, int connections, int cores) {
    int loops = transport == Transport.IO_URING ? Math.max(1, cores / 2) : cores;
    return Math.min(connections, loops);
  }

  private Scenario validate() {
    Scenario shape;
    try {
      shape = Scenario.parse(scenario);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "unknown scenario '" + scenario + "' (apply, create, get, mixed, walread, ping)");
    }
    if (connections < 1 || pipeline < 1 || !(duration > 0) || !(warmup >= 0) || payloadBytes < 0) {
      throw new UsageException(
          "--connections and --pipeline must be >= 1, --duration > 0, --warmup and"
              + " --payload-bytes >= 0");
    }
    if (duration > MAX_SECONDS || warmup > MAX_SECONDS) {
      // Beyond this the end of a phase in nanoseconds no longer fits in a long.
      throw new UsageException(
          "--duration and --warmup must be at most " + MAX_SECONDS + " (a year)");
    }
    if (instances < 1) {
      throw new UsageException("--instances must be >= 1");
    }
    if (ioThreads != null && ioThreads < 1) {
      throw new UsageException("--io-threads must be >= 1");
    }
    return shape;
  }

  private BenchSummary run(Scenario shape, List<Connection> open) throws InterruptedException {
    PrintStream err = ctx.err();
    Scenario.Settings settings =
        new Scenario.Settings(
            ctx.mapper(), UUID.randomUUID().toString().substring(0, 8), instances, payloadBytes);
    join(open.get(0).call("PUT_MACHINE", BenchMachine.putParams(ctx.mapper())));
    BenchStats stats = new BenchStats();
    List<Driver> drivers = new ArrayList<>();
    for (int i = 0; i < open.size(); i++) {
      Workload workload = shape.workload(settings, i);
      workload.setup(open.get(i));
      drivers.add(new Driver(open.get(i), workload, stats, pipeline));
    }
    err.printf(
        Locale.ROOT,
        "bench %s: %d connections, pipeline %d, %s s warm-up, %s s measured%n",
        shape.wireName(),
        connections,
        pipeline,
        seconds(warmup),
        seconds(duration));
    long begin = System.nanoTime();
    drivers.forEach(Driver::start);
    report(stats, begin, begin, secondsToNanos(warmup), "warmup");
    stats.reset();
    long measureStart = System.nanoTime();
    report(stats, begin, measureStart, secondsToNanos(duration), "measure");
    double measured = (System.nanoTime() - measureStart) / 1e9;
    List<CompletableFuture<Void>> drains = new ArrayList<>();
    drivers.forEach(d -> drains.add(d.stop()));
    try {
      CompletableFuture.allOf(drains.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("warning: some requests were still in flight after 5 s");
    }
    stats.roll();
    return BenchSummary.of(
        shape, connections, pipeline, measured, warmup, stats.total(), stats.errorsByCode());
  }

  /**
   * Prints a progress line on stderr for each second of the {@code lengthNanos} from {@code from},
   * and one for a last part second (a 1.5 s phase has two lines); the time label counts from {@code
   * begin}.
   */
  private void report(BenchStats stats, long begin, long from, long lengthNanos, String phase)
      throws InterruptedException {
    long end = from + lengthNanos;
    long last = from;
    while (last < end) {
      long next = Math.min(end, last + 1_000_000_000L);
      long now = System.nanoTime();
      if (now < next) {
        TimeUnit.NANOSECONDS.sleep(next - now);
        now = System.nanoTime();
      }
      Histogram interval = stats.roll();
      long count = interval.getTotalCount();
      ctx.err()
          .printf(
              Locale.ROOT,
              "[%4.0fs] %-7s %10.0f ops/s  p50 %6d us  p99 %7d us  errors %d%n",
              (now - begin) / 1e9,
              phase,
              count / ((now - last) / 1e9),
              count == 0 ? 0 : interval.getValueAtPercentile(50),
              count == 0 ? 0 : interval.getValueAtPercentile(99),
              stats.errorCount());
      last = now;
    }
  }

  /** 10 as "10", 1.5 as "1.5": the header repeats what was asked for. */
  static String seconds(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static long secondsToNanos(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static void join(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    }
  }
}
