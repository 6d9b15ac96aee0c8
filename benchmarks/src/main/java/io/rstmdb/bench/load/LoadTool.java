package io.rstmdb.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed-size loads for the performance rows that {@code rstmdb-cli bench} (timed, open-ended) does
 * not fit: "create N instances", "write N apply entries", "time one COMPACT". Prints one JSON line
 * with the elapsed seconds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rstmdb.bench.load.LoadTool create \
 *     --server 127.0.0.1:7401 --count 1000000 --batch 100 --connections 16 --pipeline 4
 * java -cp ... LoadTool apply --count 1000000 --instances 1000 --connections 16 --pipeline 16
 * java -cp ... LoadTool compact [--force-snapshot true]
 * java -cp ... LoadTool scan --limit 1000 --connections 4 --pipeline 4 [--warmup-pages N]
 * </pre>
 *
 * <p>Instances go to machine {@code perf-load} (two states, one event valid in both). {@code
 * --ctx-bytes} sets the size of each instance's initial ctx and {@code --payload-bytes} of each
 * event's payload (0 gives an empty object).
 */
public final class LoadTool {

  private static final String MACHINE = "perf-load";

  private final Map<String, String> options;
  private final ObjectMapper mapper = new ObjectMapper();
  private final String runId = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

  private LoadTool(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: LoadTool create|apply|compact [--option value]...");
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    ObjectNode result = new LoadTool(options).run(args[0]);
    System.out.println(result);
    System.exit(0);
  }

  private ObjectNode run(String command) throws Exception {
    String[] hostPort = option("server", "127.0.0.1:7401").split(":");
    int connections = Integer.parseInt(option("connections", "16"));
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            Math.min(connections, Runtime.getRuntime().availableProcessors()),
            NioIoHandler.newFactory());
    List<RcpClient> clients = new ArrayList<>();
    try {
      ClientOptions base =
          ClientOptions.of(hostPort[0], Integer.parseInt(hostPort[1]))
              .withEventLoopGroup(group)
              .withRequestTimeout(Duration.ofMinutes(5));
      for (int i = 0; i < connections; i++) {
        clients.add(RcpClient.connect(base).get());
      }
      int depth = Integer.parseInt(option("pipeline", "4"));
      return switch (command) {
        case "create" -> create(new Pipeline(clients, depth), clients.get(0));
        case "apply" -> apply(new Pipeline(clients, depth), clients.get(0));
        case "compact" -> compact(clients.get(0));
        case "scan" -> scan(new Pipeline(clients, depth), clients.get(0));
        default -> throw new IllegalArgumentException("unknown command " + command);
      };
    } finally {
      clients.forEach(RcpClient::close);
      group.shutdownGracefully();
    }
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private ObjectNode filler(String key, int bytes) {
    ObjectNode o = mapper.createObjectNode();
    if (bytes > 0) {
      o.put(key, "x".repeat(Math.max(1, bytes - key.length() - 7)));
    }
    return o;
  }

  private void putMachine(RcpClient client) throws Exception {
    ObjectNode def = mapper.createObjectNode();
    def.putArray("states").add("a").add("b");
    def.put("initial", "a");
    ArrayNode transitions = def.putArray("transitions");
    transitions.addObject().put("from", "a").put("event", "GO").put("to", "b");
    transitions.addObject().put("from", "b").put("event", "GO").put("to", "a");
    ObjectNode params = mapper.createObjectNode().put("machine", MACHINE).put("version", 1);
    params.set("definition", def);
    client.call("PUT_MACHINE", params).get();
  }

  private ObjectNode createParams(long n, ObjectNode ctx) {
    ObjectNode p =
        mapper
            .createObjectNode()
            .put("machine", MACHINE)
            .put("version", 1)
            .put("instance_id", "i-" + runId + "-" + n);
    p.set("initial_ctx", ctx);
    return p;
  }

  /** Creates {@code --count} instances, {@code --batch} per request (1 = CREATE_INSTANCE). */
  private ObjectNode create(Pipeline pipeline, RcpClient first) throws Exception {
    long count = Long.parseLong(option("count", "1000000"));
    int batch = Integer.parseInt(option("batch", "100"));
    ObjectNode ctx = filler("note", Integer.parseInt(option("ctx-bytes", "0")));
    putMachine(first);
    long requests = (count + batch - 1) / batch;
    long start = System.nanoTime();
    pipeline
        .run(
            requests,
            r -> {
              if (batch == 1) {
                return new Pipeline.Call("CREATE_INSTANCE", createParams(r, ctx));
              }
              ObjectNode params = mapper.createObjectNode().put("mode", "best_effort");
              ArrayNode ops = params.putArray("ops");
              for (long n = r * batch; n < Math.min(count, (r + 1) * batch); n++) {
                ops.addObject().put("op", "CREATE_INSTANCE").set("params", createParams(n, ctx));
              }
              return new Pipeline.Call("BATCH", params);
            })
        .get();
    return timing("create", count, start);
  }

  /** Creates {@code --instances} instances, then applies {@code --count} events round-robin. */
  private ObjectNode apply(Pipeline pipeline, RcpClient first) throws Exception {
    long count = Long.parseLong(option("count", "1000000"));
    int instances = Integer.parseInt(option("instances", "1000"));
    ObjectNode ctx = filler("note", Integer.parseInt(option("ctx-bytes", "0")));
    ObjectNode payload = filler("data", Integer.parseInt(option("payload-bytes", "200")));
    putMachine(first);
    pipeline.run(instances, n -> new Pipeline.Call("CREATE_INSTANCE", createParams(n, ctx))).get();
    long start = System.nanoTime();
    pipeline
        .run(
            count,
            n -> {
              ObjectNode p =
                  mapper
                      .createObjectNode()
                      .put("instance_id", "i-" + runId + "-" + (n % instances))
                      .put("event", "GO");
              p.set("payload", payload);
              return new Pipeline.Call("APPLY_EVENT", p);
            })
        .get();
    return timing("apply", count, start);
  }

  private ObjectNode compact(RcpClient client) throws Exception {
    ObjectNode params =
        mapper
            .createObjectNode()
            .put("force_snapshot", Boolean.parseBoolean(option("force-snapshot", "false")));
    long start = System.nanoTime();
    JsonNode result = client.call("COMPACT", params).get();
    ObjectNode out = timing("compact", 1, start);
    out.set("result", result);
    return out;
  }

  /**
   * Reads the whole WAL with WAL_READ pages of {@code --limit} records, the pages requested in
   * parallel (offsets are dense when nothing was compacted away), and counts the records returned.
   *
   * <p>First, unmeasured, it reads the first {@code --warmup-pages} pages (default: all of them,
   * one whole pass): this tool runs in a fresh JVM, whose JIT and heap sizing settle during the
   * first few hundred thousand records and, on a 2-core machine, take that CPU from the server
   * being measured (the script warms the server the same way, with a pass of its own). 0 measures
   * from a cold client.
   */
  private ObjectNode scan(Pipeline pipeline, RcpClient first) throws Exception {
    int limit = Integer.parseInt(option("limit", "1000"));
    JsonNode stats = first.call("WAL_STATS", null).get();
    long end = stats.path("latest_offset").asLong(-1) + 1;
    long pages = (end + limit - 1) / limit;
    long warmupPages = Long.parseLong(option("warmup-pages", Long.toString(pages)));
    if (warmupPages > 0) {
      readPages(pipeline, Math.min(pages, warmupPages), limit, new AtomicLong());
    }
    AtomicLong records = new AtomicLong();
    long start = System.nanoTime();
    readPages(pipeline, pages, limit, records);
    return timing("scan", records.get(), start);
  }

  private void readPages(Pipeline pipeline, long pages, int limit, AtomicLong records)
      throws Exception {
    pipeline
        .run(
            pages,
            page ->
                new Pipeline.Call(
                    "WAL_READ",
                    mapper.createObjectNode().put("from_offset", page * limit).put("limit", limit)),
            result -> records.addAndGet(result.path("records").size()))
        .get();
  }

  private ObjectNode timing(String what, long count, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return mapper
        .createObjectNode()
        .put("load", what)
        .put("count", count)
        .put("seconds", Double.parseDouble(String.format(Locale.ROOT, "%.3f", seconds)))
        .put("per_sec", Math.round(count / seconds));
  }
}
