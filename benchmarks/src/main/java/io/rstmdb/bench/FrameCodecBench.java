package io.rstmdb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.frame.FrameDecoder;
import io.rstmdb.protocol.frame.FrameEncoder;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.message.Request;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the wire path for one small APPLY_EVENT request and its response: envelope encoding,
 * framing with CRC-32C, frame decoding and request parsing. Run with {@code java -jar
 * benchmarks/target/benchmarks.jar FrameCodecBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {

  private final MessageCodec codec = new MessageCodec();
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private ObjectNode params;
  private ObjectNode result;
  private byte[] requestFrame;
  private EmbeddedChannel decoderChannel;

  @Setup(Level.Trial)
  public void setUp() {
    params = codec.mapper().createObjectNode();
    params.put("instance_id", "order-000123").put("event", "PAY");
    params.putObject("payload").put("amount", 99.99).put("currency", "EUR");
    params.put("idempotency_key", "k-000123");
    result = codec.mapper().createObjectNode();
    result.put("from_state", "created").put("to_state", "paid").put("applied", true);
    result.put("wal_offset", 1_234_567L).put("event_id", "e-1");
    result.putObject("ctx").put("amount", 99.99).put("currency", "EUR").put("customer", "alice");
    ByteBuf frame = frameOf(codec.encodeRequest(alloc, "42", "APPLY_EVENT", params));
    requestFrame = new byte[frame.readableBytes()];
    frame.readBytes(requestFrame);
    frame.release();
    decoderChannel = new EmbeddedChannel(new FrameDecoder());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    decoderChannel.finishAndReleaseAll();
  }

  /** Client side: build and frame a request. */
  @Benchmark
  public int encodeRequest() {
    ByteBuf frame = frameOf(codec.encodeRequest(alloc, "42", "APPLY_EVENT", params));
    int size = frame.readableBytes();
    frame.release();
    return size;
  }

  /** Server side: deframe (with CRC check) and parse a request. */
  @Benchmark
  public Request decodeRequest() {
    decoderChannel.writeInbound(alloc.buffer(requestFrame.length).writeBytes(requestFrame));
    ByteBuf payload = decoderChannel.readInbound();
    try {
      return codec.decodeRequest(payload);
    } finally {
      payload.release();
    }
  }

  /** Server side: build and frame the response (sorted keys, CRC). */
  @Benchmark
  public int encodeResponse() {
    ByteBuf frame = frameOf(codec.encodeOk(alloc, "42", result));
    int size = frame.readableBytes();
    frame.release();
    return size;
  }

  /** Client side: deframe and parse a response into a tree. */
  @Benchmark
  public JsonNode roundTrip() {
    Request request = decodeRequest();
    ByteBuf frame = frameOf(codec.encodeOk(alloc, request.id(), result));
    decoderChannel.writeInbound(frame);
    ByteBuf payload = decoderChannel.readInbound();
    try {
      return codec.readTree(payload);
    } finally {
      payload.release();
    }
  }

  private ByteBuf frameOf(ByteBuf payload) {
    try {
      ByteBuf frame = alloc.buffer(payload.readableBytes() + 18);
      FrameEncoder.writeFrame(payload, frame, ProtocolLimits.MAX_PAYLOAD);
      return frame;
    } finally {
      payload.release();
    }
  }
}
