package io.rstmdb.testkit;

import io.rstmdb.core.api.Database;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.TlsOptions;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.AuthConfig;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.config.TlsConfig;
import io.rstmdb.snapshot.FileSnapshotStore;
import io.rstmdb.testkit.snapshot.InMemorySnapshotStore;
import io.rstmdb.testkit.tls.SelfSignedCertificate;
import io.rstmdb.testkit.wal.FaultInjectingFileIo;
import io.rstmdb.testkit.wal.InMemoryWal;
import io.rstmdb.wal.FileIo;
import io.rstmdb.wal.FsyncPolicy;
import io.rstmdb.wal.SegmentedWal;
import io.rstmdb.wal.WalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real rstmdb server for JUnit 5 tests: a temporary data directory, a free port on loopback, and
 * a connected client. Registered on a {@code static} field it runs once per test class; on an
 * instance field, once per test method.
 *
 * <pre>{@code
 * class OrderFlowTest {
 *   @RegisterExtension
 *   static final RstmdbServerExtension RSTMDB = RstmdbServerExtension.builder()
 *       .fsyncPolicy("never")          // fast; durability is not what this test is about
 *       .build();
 *
 *   @Test
 *   void paysAnOrder() throws Exception {
 *     RcpClient client = RSTMDB.client();
 *     client.call("PUT_MACHINE", ...).get();
 *   }
 *
 *   @Test
 *   void survivesACrash() {
 *     ...
 *     RSTMDB.crash();                  // stop without flushing, then recover from the files
 *   }
 * }
 * }</pre>
 */
public final class RstmdbServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final Settings settings;
  private Path dataDir;
  private boolean ownsDataDir;

  /**
   * Deletes a temporary data directory if the JVM is stopped before the tests end (a build tool
   * killing its test fork on timeout or Ctrl-C sends SIGTERM): without it every such run left one
   * directory in the temp folder. Removed again when the directory is deleted normally.
   */
  private Thread deleteOnExit;

  private boolean startedForClass;

  /**
   * Test classes inside the one the field is on: a static field's extension is asked again for
   * every {@code @Nested} class, whose tests share the outer class's server.
   */
  private int classDepth;

  private SelfSignedCertificate certificate;
  private Storage storage;
  private RstmdbServer server;
  private RcpClient client;
  private final List<RcpClient> extraClients = new ArrayList<>();

  private RstmdbServerExtension(Settings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A server with file storage, {@code every_write} fsync, no auth, no TLS. */
  public static RstmdbServerExtension create() {
    return builder().build();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startedForClass = true;
    if (classDepth++ == 0) {
      start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--classDepth == 0) {
      stop();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!startedForClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!startedForClass) {
      stop();
    }
  }

  /** Where the server listens. */
  public InetSocketAddress address() {
    return running().address();
  }

  /** The running server. */
  public RstmdbServer server() {
    return running();
  }

  /** The database behind the server, for assertions that bypass the wire. */
  public Database database() {
    return running().database();
  }

  /** The data directory (also used by in-memory storage for TLS material). */
  public Path dataDir() {
    return dataDir;
  }

  /** The certificate clients must trust, when TLS is on. */
  public Path certificate() {
    if (certificate == null) {
      throw new IllegalStateException("TLS is off for this server");
    }
    return certificate.certificate();
  }

  /** Options for a client of this server: its address, token and TLS trust. */
  public ClientOptions clientOptions() {
    InetSocketAddress where = address();
    ClientOptions options =
        ClientOptions.of(where.getHostString(), where.getPort())
            .withConnectTimeout(Duration.ofSeconds(5))
            .withRequestTimeout(Duration.ofSeconds(30));
    if (settings.token != null) {
      options = options.withToken(settings.token);
    }
    if (certificate != null) {
      options = options.withTls(TlsOptions.trusting(certificate.certificate()));
    }
    return options;
  }

  /** A connected (and, with a token, authenticated) client, shared until the server stops. */
  public synchronized RcpClient client() {
    if (client == null) {
      client = connect(clientOptions());
    }
    return client;
  }

  /** A new connection of its own; closed when the server stops. */
  public synchronized RcpClient newClient() {
    RcpClient extra = connect(clientOptions());
    extraClients.add(extra);
    return extra;
  }

  /** Clean restart: graceful shutdown (the WAL is flushed), then recovery from the same storage. */
  public synchronized void restart() {
    closeClients();
    running().close();
    server = null;
    storage.closeCleanly();
    storage = storage.reopenAfterCleanStop();
    server = startServer();
  }

  /**
   * Crash and recover: the server stops as if the process died — nothing more reaches storage,
   * nothing is flushed — then a new server recovers from what storage holds. With file storage the
   * disk is cut off first, so the old WAL cannot write another byte. Adapters of your own ({@link
   * Builder#wal}, {@link Builder#snapshots}) are closed instead, which by the port's contract makes
   * their appends durable: the kit cannot take their unwritten data away, so test their crash
   * behaviour with their own fault hooks. Without a fixed port the server comes back on a new one.
   */
  public synchronized void crash() {
    closeClients();
    storage.cutOff();
    RstmdbServer dead = running();
    server = null;
    dead.halt();
    quietly(() -> dead.database().close());
    storage.abandon();
    storage = storage.reopenAfterCrash();
    server = startServer();
  }

  private synchronized void start() {
    try {
      if (settings.dataDir != null) {
        dataDir = Files.createDirectories(settings.dataDir);
      } else {
        dataDir = Files.createTempDirectory("rstmdb-test-");
        ownsDataDir = true;
        Path doomed = dataDir;
        // No lock and no server shutdown in the hook: a test thread stuck while holding either
        // would keep the JVM from exiting. Deleting the files of a running server is harmless
        // on POSIX systems, and elsewhere best effort is all a temp directory is worth.
        deleteOnExit = new Thread(() -> deleteRecursively(doomed), "rstmdb-testkit-cleanup");
        Runtime.getRuntime().addShutdownHook(deleteOnExit);
      }
      if (settings.tls && certificate == null) {
        certificate = SelfSignedCertificate.generate(dataDir.resolve("tls"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    storage = settings.storage.open(this);
    server = startServer();
  }

  private synchronized void stop() {
    closeClients();
    if (server != null) {
      server.close();
      server = null;
    }
    if (storage != null) {
      storage.closeCleanly();
      storage = null;
    }
    if (ownsDataDir && dataDir != null) {
      deleteRecursively(dataDir);
      dataDir = null;
      certificate = null;
      forgetDeleteOnExit();
    }
  }

  private void forgetDeleteOnExit() {
    if (deleteOnExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(deleteOnExit);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook runs and finds nothing left to delete.
      }
      deleteOnExit = null;
    }
  }

  private RstmdbServer startServer() {
    ServerConfig config = config();
    RstmdbServer.Builder builder =
        RstmdbServer.builder(config)
            .wal(storage.wal())
            .snapshots(storage.snapshots())
            .failpoints(settings.failpoints);
    if (settings.clock != null) {
      builder.clock(settings.clock);
    }
    return builder.start();
  }

  ServerConfig config() {
    ServerConfig config =
        ServerConfig.defaults().withDataDir(dataDir).withBind("127.0.0.1:" + settings.port);
    config = config.withStorage(config.storage().withFsyncPolicy(settings.fsyncPolicy));
    if (settings.token != null) {
      config =
          config.withAuth(
              AuthConfig.defaults()
                  .withRequired(true)
                  .withTokenHashes(List.of(sha256(settings.token))));
    }
    if (certificate != null) {
      config =
          config.withTls(TlsConfig.server(certificate.certificate(), certificate.privateKey()));
    }
    return settings.customizer.apply(config);
  }

  private RstmdbServer running() {
    if (server == null) {
      throw new IllegalStateException("the rstmdb test server is not running");
    }
    return server;
  }

  private static RcpClient connect(ClientOptions options) {
    try {
      return RcpClient.connect(options).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot connect to the rstmdb test server: " + e, e);
    }
  }

  private void closeClients() {
    if (client != null) {
      quietly(client::close);
      client = null;
    }
    extraClients.forEach(c -> quietly(c::close));
    extraClients.clear();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void quietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      // Best effort while tearing down after a simulated crash.
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(p -> quietly(() -> deleteFile(p)));
    } catch (IOException e) {
      // A leftover temp directory is not worth failing a test over.
    }
  }

  private static void deleteFile(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How to configure the server. */
  public static final class Builder {
    private final Settings settings = new Settings();

    private Builder() {}

    /** {@code every_write} (default), {@code never}, {@code every_n:N}, {@code every_ms:N}. */
    public Builder fsyncPolicy(String policy) {
      FsyncPolicy.parse(policy);
      settings.fsyncPolicy = policy;
      return this;
    }

    /** Require auth with this bearer token; {@link #client()} authenticates with it. */
    public Builder authToken(String token) {
      settings.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Serve TLS with a freshly generated self-signed certificate that the clients trust. */
    public Builder tls(boolean enabled) {
      settings.tls = enabled;
      return this;
    }

    /** Listen on this port instead of a free one. */
    public Builder port(int port) {
      settings.port = port;
      return this;
    }

    /** Use this data directory instead of a temporary one (it is not deleted afterwards). */
    public Builder dataDir(Path dir) {
      settings.dataDir = dir;
      return this;
    }

    /** The reference in-memory adapters instead of files: fastest, no disk. */
    public Builder inMemory() {
      settings.storage = StorageKind.IN_MEMORY;
      return this;
    }

    /**
     * A custom WAL adapter, made afresh at every (re)start from the data directory; a restart or a
     * crash closes the old one and calls the factory again.
     */
    public Builder wal(Function<Path, WalPort> factory) {
      settings.walFactory = Objects.requireNonNull(factory, "factory");
      settings.storage = StorageKind.CUSTOM;
      return this;
    }

    /** A custom snapshot adapter, made afresh at every (re)start from the data directory. */
    public Builder snapshots(Function<Path, SnapshotPort> factory) {
      settings.snapshotFactory = Objects.requireNonNull(factory, "factory");
      settings.storage = StorageKind.CUSTOM;
      return this;
    }

    public Builder clock(Clock clock) {
      settings.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder failpoints(Failpoints failpoints) {
      settings.failpoints = Objects.requireNonNull(failpoints, "failpoints");
      return this;
    }

    /** Any other configuration, applied last. */
    public Builder config(UnaryOperator<ServerConfig> customizer) {
      settings.customizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    public RstmdbServerExtension build() {
      return new RstmdbServerExtension(settings.copy());
    }
  }

  private static final class Settings {
    String fsyncPolicy = "every_write";
    String token;
    boolean tls;
    int port;
    Path dataDir;
    StorageKind storage = StorageKind.FILES;
    Function<Path, WalPort> walFactory;
    Function<Path, SnapshotPort> snapshotFactory;
    Clock clock;
    Failpoints failpoints = Failpoints.NONE;
    UnaryOperator<ServerConfig> customizer = UnaryOperator.identity();

    Settings copy() {
      Settings s = new Settings();
      s.fsyncPolicy = fsyncPolicy;
      s.token = token;
      s.tls = tls;
      s.port = port;
      s.dataDir = dataDir;
      s.storage = storage;
      s.walFactory = walFactory;
      s.snapshotFactory = snapshotFactory;
      s.clock = clock;
      s.failpoints = failpoints;
      s.customizer = customizer;
      return s;
    }
  }

  private enum StorageKind {
    FILES {
      @Override
      Storage open(RstmdbServerExtension ext) {
        return FileStorage.open(ext.config(), ext.settings.failpoints);
      }
    },
    IN_MEMORY {
      @Override
      Storage open(RstmdbServerExtension ext) {
        return new MemoryStorage(new InMemoryWal(), new InMemorySnapshotStore());
      }
    },
    CUSTOM {
      @Override
      Storage open(RstmdbServerExtension ext) {
        return CustomStorage.open(ext);
      }
    };

    abstract Storage open(RstmdbServerExtension ext);
  }

  /** The adapters of one server run and how each kind survives a restart or a crash. */
  private interface Storage {
    WalPort wal();

    SnapshotPort snapshots();

    /** Stops every further write reaching storage, as a process death would. */
    default void cutOff() {}

    void closeCleanly();

    /**
     * Releases the adapters of a crashed run. Closing is all a foreign adapter offers, and its
     * close makes appends durable; storages that can cut themselves off do so first ({@link
     * #cutOff}).
     */
    default void abandon() {
      quietly(wal()::close);
      quietly(snapshots()::close);
    }

    Storage reopenAfterCleanStop();

    default Storage reopenAfterCrash() {
      return reopenAfterCleanStop();
    }
  }

  private record FileStorage(
      SegmentedWal wal,
      FileSnapshotStore snapshots,
      FaultInjectingFileIo io,
      ServerConfig config,
      Failpoints failpoints)
      implements Storage {

    static FileStorage open(ServerConfig config, Failpoints failpoints) {
      FaultInjectingFileIo io = new FaultInjectingFileIo(FileIo.system());
      WalOptions options =
          WalOptions.defaults()
              .withSegmentSizeBytes(config.storage().walSegmentSizeMb() * 1024 * 1024)
              .withFsyncPolicy(FsyncPolicy.parse(config.storage().fsyncPolicy()))
              .withFailpoints(failpoints)
              .withIo(io);
      SegmentedWal wal = SegmentedWal.open(config.storage().walDir(), options);
      FileSnapshotStore snapshots;
      try {
        snapshots = FileSnapshotStore.open(config.storage().snapshotDir(), failpoints);
      } catch (RuntimeException e) {
        wal.close();
        throw e;
      }
      return new FileStorage(wal, snapshots, io, config, failpoints);
    }

    @Override
    public void cutOff() {
      io.failEverything();
    }

    @Override
    public void closeCleanly() {
      wal.close();
      snapshots.close();
    }

    @Override
    public Storage reopenAfterCleanStop() {
      return open(config, failpoints);
    }
  }

  private record MemoryStorage(InMemoryWal wal, InMemorySnapshotStore snapshots)
      implements Storage {
    @Override
    public void closeCleanly() {
      wal.close();
      snapshots.close();
    }

    @Override
    public void abandon() {
      // restart()/reopen() below close the old views and keep the stored records.
    }

    @Override
    public Storage reopenAfterCleanStop() {
      return new MemoryStorage(wal.restart(), snapshots.reopen());
    }
  }

  private record CustomStorage(WalPort wal, SnapshotPort snapshots, RstmdbServerExtension ext)
      implements Storage {
    static CustomStorage open(RstmdbServerExtension ext) {
      Settings s = ext.settings;
      Path dir = ext.dataDir;
      WalPort wal =
          s.walFactory != null
              ? s.walFactory.apply(dir)
              : SegmentedWal.open(dir.resolve("wal"), WalOptions.defaults());
      SnapshotPort snapshots =
          s.snapshotFactory != null
              ? s.snapshotFactory.apply(dir)
              : FileSnapshotStore.open(dir.resolve("snapshots"), s.failpoints);
      return new CustomStorage(wal, snapshots, ext);
    }

    @Override
    public void closeCleanly() {
      wal.close();
      snapshots.close();
    }

    @Override
    public Storage reopenAfterCleanStop() {
      return open(ext);
    }
  }
}
