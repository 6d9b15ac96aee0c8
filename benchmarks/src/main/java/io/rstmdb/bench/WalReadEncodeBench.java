package io.rstmdb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rstmdb.core.entry.ApplyEventEntry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.protocol.message.CanonicalJsonBuffer;
import io.rstmdb.protocol.message.CanonicalJsonWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server CPU per WAL_READ entry (S10): the stored ~600-byte apply_event body as the response writes
 * it, through a parsed tree (before) or copied into canonical form from the stored bytes (now). Run
 * with {@code java -jar benchmarks/target/benchmarks.jar WalReadEncodeBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WalReadEncodeBench {

  private final ObjectMapper mapper = new ObjectMapper();
  private final ByteBuf out = Unpooled.buffer(4096);
  private byte[] stored;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode payload = nodes.objectNode().put("data", "x".repeat(193));
    ObjectNode ctx = nodes.objectNode().put("note", "y".repeat(120)).put("count", 17);
    ApplyEventEntry entry =
        new ApplyEventEntry(
            1767225600000L,
            "i-k3j2h1-123",
            "perf-load",
            1,
            "GO",
            "a",
            "b",
            payload,
            ctx,
            null,
            null);
    // As WalFormat stores it: Jackson's bytes of the body, keys in insertion order.
    stored = mapper.writeValueAsBytes(EntryCodec.encode(entry).body());
  }

  /** Before: parse the stored bytes (the WAL read) and write the tree canonically. */
  @Benchmark
  public int viaTree() throws Exception {
    JsonNode body = mapper.readTree(stored);
    out.clear();
    CanonicalJsonWriter.write(body, out);
    return out.readableBytes();
  }

  /** Now: copy the stored bytes into canonical form. */
  @Benchmark
  public int viaStoredBytes() {
    CanonicalJsonBuffer buffer = new CanonicalJsonBuffer(1024);
    if (!buffer.storedObject(stored)) {
      throw new IllegalStateException("the copier refused a stored entry");
    }
    return buffer.size();
  }
}
