package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.wal.FileIo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7: a socket fuzzer against a real in-process server. Framing damage (random bytes, bad
 * magic/version/flags/CRC, oversized lengths) must be answered or closed within 1 s; malformed
 * messages in good frames (garbage JSON, wrong envelope, unknown ops, mutated params) must be
 * answered within 1 s on a connection that stays usable. A control client is served throughout. The
 * decoders themselves are covered by jqwik properties in the protocol module
 * (FrameCodecPropertyTest, the JSONL decoder fuzz property).
 */
class ProtocolFuzzIT {
  private static final int WAIT_MS = 1000;
  private static final String[] OPS = {
    "HELLO",
    "AUTH",
    "PING",
    "INFO",
    "PUT_MACHINE",
    "GET_MACHINE",
    "LIST_MACHINES",
    "CREATE_INSTANCE",
    "GET_INSTANCE",
    "LIST_INSTANCES",
    "DELETE_INSTANCE",
    "APPLY_EVENT",
    "BATCH",
    "WATCH_INSTANCE",
    "WATCH_ALL",
    "UNWATCH",
    "SNAPSHOT_INSTANCE",
    "WAL_READ",
    "WAL_STATS",
    "COMPACT",
    "NOPE",
    "",
    "ping"
  };
  private static final String[] VALUES = {
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "18446744073709551616",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "\"../../etc/passwd\"",
    "\"\\u0000\"",
    "[[[[[[[[[[]]]]]]]]]]",
    "{\"a\":{\"b\":{}}}",
    "3.5",
    "\"" + "y".repeat(5000) + "\""
  };
  private static final String[] KEYS = {
    "instance_id",
    "machine",
    "version",
    "event",
    "definition",
    "from_offset",
    "limit",
    "ops",
    "mode",
    "payload",
    "subscription_id",
    "initial_ctx",
    "force_snapshot",
    "expected_wal_offset"
  };

  @TempDir Path root;

  @Test
  void malformedInputIsAnsweredOrClosedAndTheServerKeepsServing() throws Exception {
    int frames = Figures.size("fuzzFrames", 1500);
    long seed = Long.getLong("rstmdb.reliability.seed", System.nanoTime());
    Random random = new Random(seed);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc(); // earlier tests in this JVM must not count
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peakHeap = new AtomicLong(baseline);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    InProcessServer server =
        InProcessServer.start(
            root.resolve("data"),
            FileIo.system(),
            c -> c.withStorage(c.storage().withFsyncPolicy("never")));
    int port = server.server().address().getPort();
    List<String> problems = new ArrayList<>();
    long framing = 0;
    long messages = 0;
    long controlCalls = 0;
    List<Long> controlMillis = new ArrayList<>();
    RawSocket session = null;
    try (RcpClient control = server.client(Duration.ofSeconds(5))) {
      Reply.call(control, "PUT_MACHINE", Writer.machineParams(), Duration.ofSeconds(5))
          .orFail("PUT_MACHINE");
      for (int i = 0; i < frames; i++) {
        if (random.nextInt(3) == 0) {
          framing++;
          try (RawSocket s = new RawSocket(port)) {
            byte[] bad = badFraming(random);
            s.send(bad);
            if (bad[0] != 'R') {
              s.endInput(); // random bytes may look like a partial frame; EOF settles it
            }
            RawSocket.Answer a = s.awaitAnything(WAIT_MS);
            if (a == RawSocket.Answer.SILENT) {
              problems.add("no answer and no close for framing case " + hex(bad));
            } else if (a == RawSocket.Answer.ANSWERED
                && bad[0] == 'R'
                && !s.closedWithin(WAIT_MS)) {
              problems.add("answered but not closed after a framing error: " + hex(bad));
            }
          } catch (IOException e) {
            // reset by the server while sending: closed, which is allowed
          }
        } else {
          messages++;
          if (session == null) {
            session = new RawSocket(port);
            session.send(RawSocket.frame(hello()));
            if (session.awaitFrame(WAIT_MS) != RawSocket.Answer.ANSWERED) {
              problems.add("HELLO not answered");
            }
          }
          String json = badMessage(random, i);
          session.send(RawSocket.frame(json));
          RawSocket.Answer a = session.awaitFrame(WAIT_MS);
          if (a == RawSocket.Answer.SILENT) {
            problems.add("no answer within 1 s to " + abbreviate(json));
          }
          if (a != RawSocket.Answer.ANSWERED || json.contains("\"BYE\"")) {
            session.close();
            session = null;
          }
        }
        if (i % 25 == 0) {
          long t0 = System.nanoTime();
          Reply ping = Reply.call(control, "PING", null, Duration.ofSeconds(1));
          controlMillis.add((System.nanoTime() - t0) / 1_000_000);
          controlCalls++;
          if (!ping.ok()) {
            problems.add("control client not served after " + i + " frames: " + ping);
          }
        }
      }
    } finally {
      if (session != null) {
        session.close();
      }
      sampler.interrupt();
      server.close();
    }
    controlMillis.sort(Long::compare);
    long p99 =
        controlMillis.get((int) Math.min(controlMillis.size() - 1, controlMillis.size() * 0.99));
    Figures.report(
        "fuzz",
        String.format(
            "frames sent=%d (framing %d, messages %d), unanswered=%d, crashes=0,"
                + " control pings=%d (p99 %d ms), heap of the JVM holding the server: %d MiB after GC"
                + " before, peak %d MiB,"
                + " seed=%d",
            frames,
            framing,
            messages,
            problems.size(),
            controlCalls,
            p99,
            baseline >> 20,
            peakHeap.get() >> 20,
            seed));
    assertThat(problems).isEmpty();
  }

  private static String hello() {
    return "{\"type\":\"request\",\"id\":\"h\",\"op\":\"HELLO\",\"params\":{\"protocol_version\":1,"
        + "\"wire_modes\":[\"binary_json\"]}}";
  }

  private static byte[] badFraming(Random r) {
    byte[] payload =
        "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}".getBytes(StandardCharsets.UTF_8);
    switch (r.nextInt(6)) {
      case 0 -> {
        byte[] junk = new byte[1 + r.nextInt(200)];
        r.nextBytes(junk);
        if (junk[0] == 'R' || junk[0] == '{') {
          junk[0] = 0;
        }
        return junk;
      }
      case 1 -> {
        return RawSocket.frame(0x52435059 + r.nextInt(1000), 1, 1, payload.length, payload, true);
      }
      case 2 -> {
        return RawSocket.frame(0x52435058, 2 + r.nextInt(60000), 1, payload.length, payload, true);
      }
      case 3 -> {
        return RawSocket.frame(0x52435058, 1, 0x10 << r.nextInt(12), payload.length, payload, true);
      }
      case 4 -> {
        return RawSocket.frame(0x52435058, 1, 1, payload.length, payload, false);
      }
      default -> {
        return RawSocket.frame(
            0x52435058, 1, 1, 16 * 1024 * 1024 + 1 + r.nextInt(1 << 20), payload, true);
      }
    }
  }

  private static String badMessage(Random r, int i) {
    switch (r.nextInt(5)) {
      case 0 -> {
        byte[] junk = new byte[1 + r.nextInt(100)];
        for (int k = 0; k < junk.length; k++) {
          junk[k] = (byte) (32 + r.nextInt(95));
        }
        return new String(junk, StandardCharsets.US_ASCII);
      }
      case 1 -> {
        String whole = "{\"type\":\"request\",\"id\":\"" + i + "\",\"op\":\"PING\"";
        return whole.substring(0, 5 + r.nextInt(whole.length() - 5));
      }
      case 2 -> {
        return "[".repeat(1 + r.nextInt(5000));
      }
      case 3 -> {
        return "{\"type\":" + pick(r, VALUES) + ",\"id\":" + pick(r, VALUES) + ",\"op\":\"PING\"}";
      }
      default -> {
        StringBuilder params = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int k = 0; k < n; k++) {
          params.append(k == 0 ? "" : ",").append('"').append(pick(r, KEYS)).append("\":");
          params.append(pick(r, VALUES));
        }
        params.append('}');
        return "{\"type\":\"request\",\"id\":\""
            + i
            + "\",\"op\":\""
            + pick(r, OPS)
            + "\",\"params\":"
            + (r.nextInt(8) == 0 ? pick(r, VALUES) : params)
            + "}";
      }
    }
  }

  private static String pick(Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  private static String hex(byte[] b) {
    return Arrays.toString(Arrays.copyOf(b, Math.min(24, b.length)));
  }
}
