package io.rstmdb.testkit.reliability;

import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code io.rstmdb.server.Main} in a child JVM on the test classpath, configured through the
 * environment, so it can be killed with SIGKILL or halt itself at a failpoint. Its output goes to a
 * log file outside the data directory.
 */
final class ChildServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ChildServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the server; returns at once (see {@link #awaitReady}).
   *
   * @param failpoints comma-separated failpoint names to arm, or null
   */
  static ChildServer start(Path dataDir, Path log, Map<String, String> env, String failpoints) {
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-Xss512k",
            "-XX:CICompilerCount=1"));
    if (failpoints != null) {
      cmd.add("-Drstmdb.failpoints=" + failpoints);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add("io.rstmdb.server.Main");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("RSTMDB_"));
    pb.environment().put("RSTMDB_DATA", dataDir.toString());
    pb.environment().put("RSTMDB_BIND", "127.0.0.1:" + port);
    // The metrics endpoint's fixed default port would collide between children and other tests.
    pb.environment().put("RSTMDB_METRICS_ENABLED", "false");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return new ChildServer(pb.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the child server", e);
    }
  }

  int port() {
    return port;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits until the port accepts connections; false if the process exited or time ran out. */
  boolean awaitReady(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        sleep(20);
      }
    }
    return false;
  }

  RcpClient client(Duration requestTimeout) {
    try {
      return RcpClient.connect(
              ClientOptions.of("127.0.0.1", port)
                  .withConnectTimeout(Duration.ofSeconds(5))
                  .withRequestTimeout(requestTimeout))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot connect to the child server: " + e + "\n" + tail(), e);
    }
  }

  /** SIGKILL, then wait for the process to be gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** The exit code, or -1 if still running after {@code limit}. */
  int awaitExit(Duration limit) {
    try {
      return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The last lines the child wrote, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
