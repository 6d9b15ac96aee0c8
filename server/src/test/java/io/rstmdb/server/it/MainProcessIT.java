package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.rstmdb.server.tls.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real process: configured by the environment, one startup line, SIGTERM = graceful stop. */
class MainProcessIT {

  private static final Pattern LISTENING =
      Pattern.compile(
          "rstmdb-java (\\S+) listening on /127\\.0\\.0\\.1:(\\d+) \\(data: (.+), fsync: (.+),"
              + " transport: (io_uring|epoll|nio)\\)");

  @TempDir Path dir;

  /**
   * Every child this test started. A test that times out while reading a child's output (a startup
   * line that never matches) must not leave the server running after the build.
   */
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildrenStillRunning() throws InterruptedException {
    for (Process child : children) {
      if (child.isAlive()) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** A started child server, its output reader and the startup line's match. */
  private record Child(Process process, BufferedReader out, Matcher started) {
    int port() {
      return Integer.parseInt(started.group(2));
    }

    String rest() throws IOException {
      StringBuilder rest = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        rest.append(line).append('\n');
      }
      return rest.toString();
    }
  }

  private Child start(String... jvmOptions) throws IOException {
    return start(Map.of(), jvmOptions);
  }

  private Child start(Map<String, String> env, String... jvmOptions) throws IOException {
    Process p = launch(env, jvmOptions);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return new Child(p, out, m);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("no startup line in:\n" + seen);
  }

  private Process launch(String... jvmOptions) throws IOException {
    return launch(Map.of(), jvmOptions);
  }

  private Process launch(Map<String, String> env, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    // The test classpath's logback-test.xml would hide the INFO startup line.
    command.add("-Dlogback.configurationFile=logback.xml");
    command.addAll(List.of(jvmOptions));
    command.add("io.rstmdb.server.Main");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("RSTMDB_BIND", "127.0.0.1:0");
    pb.environment().put("RSTMDB_DATA", dir.toString());
    pb.environment().put("RSTMDB_FSYNC_POLICY", "every_n:10");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process child = pb.start();
    children.add(child);
    return child;
  }

  private static void putMachineAndInstance(RawConnection c) throws IOException {
    c.sendJson(
        "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PUT_MACHINE\",\"params\":{\"machine\":\"m\","
            + "\"version\":1,\"definition\":"
            + ServerFixture.ORDER
            + "}}");
    assertThat(c.readFrame().at("/result/created").asBoolean()).isTrue();
    c.sendJson(
        "{\"type\":\"request\",\"id\":\"2\",\"op\":\"CREATE_INSTANCE\",\"params\":{\"instance_id\":"
            + "\"i\",\"machine\":\"m\",\"version\":1}}");
    assertThat(c.readFrame().at("/result/state").asText()).isEqualTo("created");
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void startsServesAndStopsGracefullyOnSigterm() throws Exception {
    Child child = start();
    try {
      assertThat(child.started().group(1)).isEqualTo("0.1.0-SNAPSHOT");
      assertThat(child.started().group(3)).isEqualTo(dir.toAbsolutePath().normalize().toString());
      assertThat(child.started().group(4)).isEqualTo("every_n:10");
      try (RawConnection c = new RawConnection(child.port())) {
        putMachineAndInstance(c);
      }
      // SIGTERM without Process.destroy(), which would also close our end of its output.
      new ProcessBuilder("kill", "-TERM", Long.toString(child.process().pid())).start().waitFor();
      String rest = child.rest();
      assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(rest).contains("shutting down").contains("rstmdb-java stopped");
      assertThat(child.process().exitValue()).isZero();
    } finally {
      child.process().destroyForcibly();
    }
    try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
      assertThat(files.count()).isPositive();
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSecondServerOnTheSameDataDirectoryRefusesToStartAndKillNineFreesIt() throws Exception {
    Child first = start();
    try {
      Process second = launch();
      String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(1);
      assertThat(output)
          .contains(
              "rstmdb: cannot start: data directory "
                  + dir.toAbsolutePath().normalize()
                  + " is in use by another rstmdb server (process "
                  + first.process().pid()
                  + ")")
          .doesNotContain("Exception");
      // The first one was not disturbed.
      try (RawConnection c = new RawConnection(first.port())) {
        putMachineAndInstance(c);
      }
    } finally {
      first.process().destroyForcibly(); // SIGKILL: the lock goes with the process
      first.process().waitFor(20, TimeUnit.SECONDS);
    }
    assertThat(dir.resolve("rstmdb.lock")).exists();
    Child third = start();
    try {
      try (RawConnection c = new RawConnection(third.port())) {
        c.sendJson(
            "{\"type\":\"request\",\"id\":\"1\",\"op\":\"GET_INSTANCE\","
                + "\"params\":{\"instance_id\":\"i\"}}");
        assertThat(c.readFrame().at("/result/state").asText()).isEqualTo("created");
      }
    } finally {
      third.process().destroyForcibly();
      third.process().waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sigintStopsGracefullyWithExitCodeZero() throws Exception {
    assumeFalse(
        sigintIgnoredHere(),
        "SIGINT is ignored in this process (the build runs as a background job), so the server"
            + " started from it inherits that and the JVM installs no SIGINT handler");
    Child child = start();
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(child.process().pid())).start().waitFor();
      String rest = child.rest();
      assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(rest).contains("rstmdb-java stopped");
      assertThat(child.process().exitValue()).isZero();
    } finally {
      child.process().destroyForcibly();
    }
  }

  /**
   * Whether this JVM inherited an ignored SIGINT, as every process of a job that a non-interactive
   * shell started with {@code &} does: Linux's {@code SigIgn} mask, bit 1 for signal 2.
   */
  private static boolean sigintIgnoredHere() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void argumentsAreRefusedRatherThanIgnored() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.rstmdb.server.Main",
                "--config",
                "rstmdb.yaml")
            .redirectErrorStream(true)
            .start();
    children.add(p);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output.strip())
        .isEqualTo(
            "rstmdb: the server takes no arguments (got '--config'); configure it with"
                + " RSTMDB_CONFIG=<file.yaml> and RSTMDB_* variables (docs/configuration.md)");
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aListedFailpointHaltsTheProcessWithExitCode137() throws Exception {
    Child child = start("-Drstmdb.failpoints=snapshot.after_temp_write");
    try {
      try (RawConnection c = new RawConnection(child.port())) {
        putMachineAndInstance(c);
        c.sendJson(
            "{\"type\":\"request\",\"id\":\"3\",\"op\":\"SNAPSHOT_INSTANCE\",\"params\":"
                + "{\"instance_id\":\"i\"}}");
        assertThat(c.closedByServer()).isTrue();
      }
      assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process().exitValue()).isEqualTo(137);
      assertThat(child.rest()).contains("failpoint snapshot.after_temp_write hit");
    } finally {
      child.process().destroyForcibly();
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aTls12ClientCannotRenegotiate() throws Exception {
    TestCertificates pki = new TestCertificates(Files.createDirectories(dir.resolve("pki")));
    TestCertificates.Issued server = pki.issue("server", TestCertificates.KeyFormat.PKCS8_EC);
    Child child =
        start(
            Map.of(
                "RSTMDB_TLS_ENABLED", "true",
                "RSTMDB_TLS_CERT", server.cert().toString(),
                "RSTMDB_TLS_KEY", server.key().toString()));
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream ca = Files.newInputStream(pki.caCertPath())) {
        trust.setCertificateEntry(
            "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLSv1.2");
      tls.init(null, tmf.getTrustManagers(), null);
      try (SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", child.port())) {
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        // A second handshake on the same connection is a renegotiation: refused.
        assertThatThrownBy(
                () -> {
                  socket.startHandshake();
                  socket.getOutputStream().write(new byte[] {0});
                  socket.getOutputStream().flush();
                  socket.getInputStream().read();
                })
            .isInstanceOf(IOException.class);
      }
    } finally {
      child.process().destroyForcibly();
    }
  }
}
