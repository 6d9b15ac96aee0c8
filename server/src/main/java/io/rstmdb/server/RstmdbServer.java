package io.rstmdb.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.unix.Errors;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.RecoveryReport;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.protocol.transport.Transport;
import io.rstmdb.server.config.ConfigException;
import io.rstmdb.server.config.ConfigLoader;
import io.rstmdb.server.config.Endpoint;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.di.Adapters;
import io.rstmdb.server.di.ServerComponent;
import io.rstmdb.server.failpoint.HaltingFailpoints;
import io.rstmdb.server.metrics.MetricsHttpServer;
import io.rstmdb.server.session.ServerStopping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running rstmdb server: the RCP listener, the database behind it and, when enabled, the metrics
 * endpoint. Start one with {@code RstmdbServer.builder(config).start()}; {@link #close()} shuts it
 * down gracefully.
 *
 * <pre>{@code
 * try (RstmdbServer server = RstmdbServer.builder(
 *         ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0")).start()) {
 *   InetSocketAddress where = server.address();
 * }
 * }</pre>
 */
public final class RstmdbServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RstmdbServer.class);

  private final ServerComponent component;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final MetricsHttpServer metricsHttp;
  private boolean stopped;

  private RstmdbServer(
      ServerComponent component,
      EventLoopGroup boss,
      EventLoopGroup workers,
      Channel listener,
      MetricsHttpServer metricsHttp) {
    this.component = component;
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
    this.metricsHttp = metricsHttp;
  }

  /** A builder for a server with this configuration. */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /**
   * The network transport the connections run on ({@code io_uring}, {@code epoll} or {@code nio}).
   */
  public String transport() {
    return Transport.of(workers).name();
  }

  /** The RCP listener's bound address (the real port when 0 was configured). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** The metrics endpoint's bound address, when metrics are enabled. */
  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metricsHttp).map(MetricsHttpServer::address);
  }

  /** The configuration this server runs with. */
  public ServerConfig config() {
    return component.config();
  }

  /** The database behind the listener (for embedding and tests). */
  public Database database() {
    return component.database();
  }

  /**
   * Graceful stop: no new connections, requests already received are answered (for up to 5 s),
   * connections closed, then the database and the adapters the server opened are closed, which
   * flushes the WAL.
   */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    ChannelGroupFuture drained = component.openConnections().newCloseFuture();
    component
        .openConnections()
        .forEach(c -> c.pipeline().fireUserEventTriggered(ServerStopping.INSTANCE));
    try {
      if (!component.inFlightRequests().awaitNone(5, TimeUnit.SECONDS)) {
        LOG.warn("closing with {} requests still unanswered", component.inFlightRequests().count());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Each connection closes itself once its answers are out; a client that reads none of them
    // holds its connection until this wait ends.
    drained.awaitUninterruptibly(5, TimeUnit.SECONDS);
    closeConnections();
    workers.shutdownGracefully(0, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10_000);
    boss.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5_000);
    if (metricsHttp != null) {
      metricsHttp.close();
    }
    component.watchHub().close();
    component.database().close();
    component.blockingExecutor().shutdownNow();
    component.ownedResources().close();
    LOG.info("rstmdb-java stopped");
  }

  /**
   * Stops the sockets abruptly without closing the database or the WAL, leaving files as a crash
   * would (for crash tests). The server cannot be used afterwards.
   */
  public synchronized void halt() {
    if (stopped) {
      return;
    }
    stopped = true;
    listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    closeConnections(); // as the kernel does for a process that dies
    workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5_000);
    boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5_000);
    if (metricsHttp != null) {
      metricsHttp.close();
    }
  }

  /**
   * Closes every open connection and waits for it, before the event loops stop. Shutting the loops
   * down is not enough: a loop asked to stop while it runs tasks can terminate without closing its
   * channels, leaving the peer connected to nothing and the queued frames never released.
   */
  private void closeConnections() {
    if (!component.openConnections().close().awaitUninterruptibly(5, TimeUnit.SECONDS)) {
      LOG.warn("{} connections did not close within 5 s", component.openConnections().size());
    }
  }

  /** The connections' event loops, for tests that need to keep one busy. */
  EventLoopGroup workerGroup() {
    return workers;
  }

  /**
   * Event loop threads for connections: half the processors, at least one, unless {@code
   * -Drstmdb.ioThreads=N} says otherwise. Netty's default (twice the processors) put four event
   * loops on a 2-vCPU machine, all running mutations under the sequencer lock next to the WAL
   * writer: one loop measured 20–50 % more ops/s at 20–35 % less CPU per request on APPLY_EVENT and
   * GET (docs/performance.md).
   *
   * @throws ConfigException when the property is set to anything but a whole number from 1 to
   *     {@value #MAX_IO_THREADS}: a mistyped tuning flag must not quietly fall back to the default
   */
  static int ioThreads() {
    return ioThreads(
        System.getProperty(IO_THREADS_PROPERTY), Runtime.getRuntime().availableProcessors());
  }

  static final String IO_THREADS_PROPERTY = "rstmdb.ioThreads";

  /** More event loops than this is a typo, not a tuning choice (each one is a thread). */
  static final int MAX_IO_THREADS = 256;

  static int ioThreads(String configured, int processors) {
    if (configured == null) {
      return Math.max(1, processors / 2);
    }
    int threads;
    try {
      threads = Integer.parseInt(configured.strip());
    } catch (NumberFormatException e) {
      threads = 0;
    }
    if (threads < 1 || threads > MAX_IO_THREADS) {
      throw new ConfigException(
          "-D" + IO_THREADS_PROPERTY,
          "must be a whole number from 1 to " + MAX_IO_THREADS + ", got '" + configured + "'");
    }
    return threads;
  }

  private static void abandon(
      ServerComponent component, EventLoopGroup boss, EventLoopGroup workers) {
    boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    component.watchHub().close();
    component.database().close();
    component.blockingExecutor().shutdownNow();
    component.ownedResources().close();
  }

  /** Collects optional adapters, then starts the server. */
  public static final class Builder {
    private final ServerConfig config;
    private WalPort wal;
    private SnapshotPort snapshots;
    private Clock clock = Clock.system();
    private Failpoints failpoints;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Uses this WAL instead of the file WAL under {@code data_dir}; the caller closes it. */
    public Builder wal(WalPort value) {
      this.wal = value;
      return this;
    }

    /** Uses this snapshot store instead of the file store; the caller closes it. */
    public Builder snapshots(SnapshotPort value) {
      this.snapshots = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Default: from the {@code rstmdb.failpoints} system property. */
    public Builder failpoints(Failpoints value) {
      this.failpoints = value;
      return this;
    }

    /**
     * Validates the configuration, recovers the database, binds the listener (and the metrics
     * endpoint when enabled).
     *
     * @throws io.rstmdb.server.config.ConfigException for unusable configuration
     * @throws io.rstmdb.core.error.RstmdbException when recovery fails
     * @throws UncheckedIOException when a port cannot be bound
     */
    public RstmdbServer start() {
      ConfigLoader.validate(config);
      Adapters adapters =
          new Adapters(
              Optional.ofNullable(wal),
              Optional.ofNullable(snapshots),
              clock,
              failpoints != null ? failpoints : HaltingFailpoints.fromSystemProperty());
      ServerComponent component = ServerComponent.create(config, adapters);
      // Configuration problems surface before any file is opened.
      component.tokenAuthenticator();
      component.sslContext();
      Transport wanted = Transport.best(); // refuses a mistyped -Drstmdb.transport, too
      int ioThreads = ioThreads();
      InetSocketAddress bind = Endpoint.parse(config.network().bindAddr()).toSocketAddress();
      long recoveryStart = System.nanoTime();
      Database db;
      try {
        db = component.database();
      } catch (RuntimeException e) {
        // What opened before the failure (the data directory's lock, the WAL) is let go, so that
        // this process can try again.
        component.ownedResources().close();
        throw e;
      }
      if (db instanceof Engine engine) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStart);
        RecoveryReport report = engine.recovery();
        if (report.rejectedSnapshots().isEmpty()) {
          LOG.info("recovered in {} ms: {}", millis, report.summary());
        } else {
          // A damaged snapshot is worth an operator's look even when an older one could stand in.
          LOG.warn("recovered in {} ms: {}", millis, report.summary());
        }
      }
      EventLoopGroup workers =
          Transport.newBestGroup(ioThreads, handler -> new WriteBurstIoHandler(handler, db));
      Transport transport = Transport.of(workers);
      if (transport != wanted) {
        LOG.warn(
            "{} is available but could not create its event loops (kernels before 5.12 count its"
                + " rings against `ulimit -l`); running on {}",
            wanted.name(),
            transport.name());
      }
      // The listener's channel makes the connections, so it runs on the workers' transport.
      EventLoopGroup boss = transport.newGroup(1);
      Channel listener;
      MetricsHttpServer metricsHttp = null;
      try {
        listener = bind(transport, boss, workers, component, bind);
        if (config.metrics().enabled()) {
          metricsHttp = startMetrics(component);
        }
      } catch (RuntimeException e) {
        abandon(component, boss, workers);
        throw e;
      }
      return new RstmdbServer(component, boss, workers, listener, metricsHttp);
    }

    private Channel bind(
        Transport transport,
        EventLoopGroup boss,
        EventLoopGroup workers,
        ServerComponent component,
        InetSocketAddress bind) {
      try {
        return new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A watcher is never closed as idle; keep-alive finds the ones whose peer vanished.
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            // A client's FIN ends its requests, not our answers (SessionHandler).
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(component.channelInitializer())
            .bind(bind)
            .syncUninterruptibly()
            .channel();
      } catch (Exception e) { // Netty rethrows the socket's checked exception undeclared
        if (e instanceof IOException io) {
          throw new UncheckedIOException(
              "cannot bind "
                  + config.network().bindAddr()
                  + " (network.bind_addr): "
                  + bindReason(io),
              io);
        }
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }

    /**
     * The system's words alone, as NIO gives them: the native transports prefix them with the call
     * and errno ({@code bind(..) failed with error(-98): Address already in use}).
     */
    private static String bindReason(IOException failure) {
      String reason = IoReason.of(failure);
      if (failure instanceof Errors.NativeIoException) {
        int words = reason.indexOf("): ");
        return words < 0 ? reason : reason.substring(words + 3);
      }
      return reason;
    }

    private MetricsHttpServer startMetrics(ServerComponent component) {
      try {
        return MetricsHttpServer.start(
            Endpoint.parse(config.metrics().bindAddr()).toSocketAddress(),
            component.meterRegistry());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot bind "
                + config.metrics().bindAddr()
                + " (metrics.bind_addr): "
                + IoReason.of(e),
            e);
      }
    }
  }
}
