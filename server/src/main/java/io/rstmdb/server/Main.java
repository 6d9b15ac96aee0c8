package io.rstmdb.server;

import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.transport.UnknownTransportException;
import io.rstmdb.server.cds.CdsArchiveBuilder;
import io.rstmdb.server.cds.CdsTraining;
import io.rstmdb.server.config.ConfigException;
import io.rstmdb.server.config.ConfigLoader;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.dispatch.ServerIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The {@code rstmdb} process: configuration from defaults, the YAML file at {@code RSTMDB_CONFIG}
 * and the environment; no command-line arguments. Exit codes: 0 after a signalled shutdown, 2 for
 * bad configuration, 1 when the server cannot start (recovery or bind failure).
 *
 * <p>Two modes for the AppCDS archive (docs/operations.md, "Startup"): {@code --cds-archive JSA}
 * makes the archive for this jar and the running JDK with {@link CdsArchiveBuilder}; it is best
 * effort, so it always exits 0 and prints one line saying why when no archive could be made (the
 * build runs it in the package phase). {@code --cds-training DIR} is the training run it starts in
 * a child JVM: {@link CdsTraining} in a scratch directory under {@code DIR}, exit 0 when it went
 * through, 1 otherwise.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private static final String CDS_ARCHIVE_FLAG = "--cds-archive";
  private static final Duration CDS_TRAINING_TIMEOUT = Duration.ofMinutes(2);

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(CdsTraining.FLAG)) {
      // Always exit: the archive is written at JVM exit, and no stray thread may hold that up.
      System.exit(train(args, System.err));
    }
    if (args.length > 1 && args[0].equals(CDS_ARCHIVE_FLAG)) {
      buildArchive(Path.of(args[1]), System.out);
      System.exit(0);
    }
    if (args.length > 0) {
      // Reference docs show --config; starting on the defaults instead would be a surprise.
      System.err.println(
          "rstmdb: the server takes no arguments (got '"
              + args[0]
              + "'); configure it with RSTMDB_CONFIG=<file.yaml> and RSTMDB_* variables"
              + " (docs/configuration.md)");
      System.exit(2);
    }
    refuseTlsRenegotiation();
    // Always exit: the signal handlers keep the JVM from exiting on its own.
    System.exit(run(System.getenv(), System.err));
  }

  /**
   * TLS 1.2 lets a client renegotiate as often as it likes, each time a full handshake of server
   * CPU, before AUTH and past the connection limit (QA: 298 handshakes in 6 s on one connection,
   * 4.5 CPU-seconds). Nothing here needs renegotiation. JSSE reads the property once, so it is set
   * before any TLS code runs; an operator's own {@code -D} setting wins.
   */
  static void refuseTlsRenegotiation() {
    if (System.getProperty(REJECT_RENEGOTIATION) == null) {
      System.setProperty(REJECT_RENEGOTIATION, "true");
    }
  }

  static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  /** The {@code --cds-archive JSA} mode: never fails, says why once when there is no archive. */
  static void buildArchive(Path archive, PrintStream out) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = archive.resolveSibling("cds-training.log");
    Optional<String> failure;
    try {
      failure = new CdsArchiveBuilder(java, ownJar(), CDS_TRAINING_TIMEOUT).build(archive, log);
    } catch (IOException | RuntimeException e) {
      failure = Optional.of(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = Optional.of("interrupted");
    }
    failure.ifPresent(
        why ->
            out.println(
                "rstmdb: no AppCDS archive ("
                    + why
                    + "); the server starts without it, only more slowly"));
  }

  private static Path ownJar() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the server jar", e);
    }
  }

  /** The {@code --cds-training [DIR]} mode; DIR defaults to the temporary directory. */
  static int train(String[] args, PrintStream err) {
    Path parent = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
    try {
      new CdsTraining(parent).run();
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("rstmdb: CDS training failed: " + e);
      LOG.debug("CDS training failure", e);
      return 1;
    }
  }

  /**
   * Starts a server and blocks until the JVM is asked to stop; returns early with an exit code when
   * it cannot start.
   */
  static int run(Map<String, String> env, PrintStream err) {
    RstmdbServer server;
    ServerConfig config;
    try {
      config = new ConfigLoader(env).load();
      server = RstmdbServer.builder(config).start();
    } catch (ConfigException | UnknownTransportException e) {
      err.println("rstmdb: " + e.getMessage());
      return 2;
    } catch (RstmdbException | UncheckedIOException e) {
      err.println("rstmdb: cannot start: " + e.getMessage());
      LOG.debug("startup failure", e);
      return 1;
    }
    // SIGINT and SIGTERM stop the server gracefully and the process then exits 0, as the spec
    // asks for SIGINT (the JVM's own handling would exit 130 / 143). Any other way the JVM ends
    // still closes the server through the hook. Installed before the startup line, which tells
    // scripts (and tests) that the server is up and may be signalled.
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), s -> stopRequested.countDown());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "rstmdb-shutdown"));
    LOG.info(
        "rstmdb-java {} listening on {} (data: {}, fsync: {}, transport: {})",
        ServerIdentity.load().version(),
        server.address(),
        config.storage().dataDir().toAbsolutePath().normalize(),
        config.storage().fsyncPolicy(),
        server.transport());
    server.metricsAddress().ifPresent(a -> LOG.info("metrics on {}", metricsUrl(a)));
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("shutting down");
    server.close();
    return 0;
  }

  /** The scrape URL of the metrics endpoint, an IPv6 address in brackets as URLs need it. */
  static String metricsUrl(InetSocketAddress at) {
    String host = at.getHostString();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + at.getPort() + "/metrics";
  }
}
