package io.rstmdb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.frame.FrameEncoder;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.Request;
import io.rstmdb.server.dispatch.Dispatcher;
import io.rstmdb.server.dispatch.ResultJson;
import io.rstmdb.server.dispatch.ServerIdentity;
import io.rstmdb.server.error.WireErrors;
import io.rstmdb.wal.EncodeOnlyWal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's work per request without the network: a request payload as the frame decoder hands
 * it over (a direct buffer), parsed, dispatched to the engine, the result shaped, encoded and
 * framed. The WAL is {@link EncodeOnlyWal}: it serializes and frames each entry on the caller's
 * thread as {@code SegmentedWal.append} does, and leaves out the writer thread (whose wake-ups made
 * this figure jump by ±15 % from run to run). The shape is {@code rstmdb-cli bench apply|get
 * --pipeline 64 --payload-bytes 200}: 64 requests in flight over 64 instances whose ids share a
 * long prefix. What it leaves out is the socket, the Netty pipeline and the per-request metrics;
 * the rows S5, S6 and S13 are this plus those. Each iteration also prints the benchmark thread's
 * own CPU time per request ({@code thread cpu ns/op}), which a busy machine disturbs far less than
 * the wall-clock score.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RequestPathBench -f 1 -wi 6 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestPathBench {
  static final int PIPELINE = 64;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Param({"APPLY_EVENT", "GET_INSTANCE"})
  public String op;

  private final MessageCodec codec = new MessageCodec();
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private EncodeOnlyWal wal;
  private Engine engine;
  private Dispatcher dispatcher;
  private ByteBuf[] requests;
  private long cpuAtStart;
  private long opsInIteration;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    wal = new EncodeOnlyWal();
    engine =
        Engine.open(
            EngineConfig.defaults().withCompaction(EngineConfig.Compaction.disabled()),
            wal,
            new EngineApplyBench.NoSnapshots(),
            Clock.system(),
            Failpoints.NONE);
    dispatcher =
        new Dispatcher(
            engine,
            new ResultJson(codec.mapper()),
            new WireErrors(),
            new ServerIdentity("bench", "0", ServerIdentity.FEATURES),
            Runnable::run);
    ObjectNode definition = MAPPER.createObjectNode();
    definition.putArray("states").add("ping").add("pong");
    definition.put("initial", "ping");
    var transitions = definition.putArray("transitions");
    transitions.addObject().put("from", "ping").put("event", "NEXT").put("to", "pong");
    transitions.addObject().put("from", "pong").put("event", "NEXT").put("to", "ping");
    engine.putMachine(new PutMachine("rstmdb-bench", 1, definition, null)).join();
    ObjectNode payload = MAPPER.createObjectNode().put("data", "x".repeat(189));
    requests = new ByteBuf[PIPELINE];
    for (int i = 0; i < PIPELINE; i++) {
      String id = "bench-5f0c1d2e-0-" + i;
      engine.createInstance(new CreateInstance(id, "rstmdb-bench", 1, payload, null)).join();
      ObjectNode params = MAPPER.createObjectNode().put("instance_id", id);
      if (op.equals("APPLY_EVENT")) {
        params.put("event", "NEXT").set("payload", payload);
      }
      ByteBuf encoded = codec.encodeRequest(alloc, Integer.toString(1000 + i), op, params);
      byte[] bytes = new byte[encoded.readableBytes()];
      encoded.readBytes(bytes);
      encoded.release();
      // The frame decoder hands the session a slice of a direct buffer.
      requests[i] = alloc.directBuffer(bytes.length).writeBytes(bytes);
    }
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    opsInIteration = 0;
    cpuAtStart = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
    System.out.printf(
        "%n  thread cpu ns/op: %.0f (%d ops)%n", (double) cpu / opsInIteration, opsInIteration);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    for (ByteBuf b : requests) {
      b.release();
    }
    engine.close();
    wal.close();
  }

  /** 64 requests read and dispatched, then their 64 responses encoded and framed. */
  @Benchmark
  @OperationsPerInvocation(PIPELINE)
  public int pipelined() {
    List<Request> decoded = new ArrayList<>(PIPELINE);
    List<CompletableFuture<JsonNode>> results = new ArrayList<>(PIPELINE);
    for (ByteBuf request : requests) {
      Request r = codec.decodeRequest(request.duplicate());
      decoded.add(r);
      results.add(dispatcher.dispatch(r.knownOp().orElseThrow(), r.params()));
    }
    opsInIteration += PIPELINE;
    int bytes = 0;
    for (int i = 0; i < PIPELINE; i++) {
      ByteBuf payload = codec.encodeOk(alloc, decoded.get(i).id(), results.get(i).join());
      ByteBuf frame = alloc.directBuffer(payload.readableBytes() + 18);
      FrameEncoder.writeFrame(payload, frame, ProtocolLimits.MAX_PAYLOAD);
      bytes += frame.readableBytes();
      payload.release();
      frame.release();
    }
    return bytes;
  }
}
