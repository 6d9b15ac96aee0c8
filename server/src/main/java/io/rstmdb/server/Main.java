package io.rstmdb.server;

import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.server.config.ConfigException;
import io.rstmdb.server.config.ConfigLoader;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.dispatch.ServerIdentity;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rstmdb} process: configuration from defaults, the YAML file at {@code RSTMDB_CONFIG}
 * and the environment; no command-line arguments. Exit codes: 0 after a signalled shutdown, 2 for
 * bad configuration, 1 when the server cannot start (recovery or bind failure).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    int code = run(System.getenv(), System.err);
    if (code != 0) {
      System.exit(code);
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
    } catch (ConfigException e) {
      err.println("rstmdb: " + e.getMessage());
      return 2;
    } catch (RstmdbException | UncheckedIOException e) {
      err.println("rstmdb: cannot start: " + e.getMessage());
      LOG.debug("startup failure", e);
      return 1;
    }
    LOG.info(
        "rstmdb-java {} listening on {} (data: {}, fsync: {}, transport: {})",
        ServerIdentity.load().version(),
        server.address(),
        config.storage().dataDir().toAbsolutePath().normalize(),
        config.storage().fsyncPolicy(),
        server.transport());
    server
        .metricsAddress()
        .ifPresent(
            a -> LOG.info("metrics on http://{}:{}/metrics", a.getHostString(), a.getPort()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down");
                  server.close();
                  stopped.countDown();
                },
                "rstmdb-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
