package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.engine.Engine;
import io.rstmdb.core.engine.EngineConfig;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.dispatch.Dispatcher;
import io.rstmdb.server.dispatch.ResultJson;
import io.rstmdb.server.dispatch.ServerIdentity;
import io.rstmdb.server.error.WireErrors;
import io.rstmdb.server.watch.WatchHub;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The database (recovered on first use) and what turns requests into calls on it. */
@Module
public interface EngineModule {

  @Provides
  @Singleton
  static Database database(
      EngineConfig config, WalPort wal, SnapshotPort snapshots, Adapters adapters) {
    return Engine.open(config, wal, snapshots, adapters.clock(), adapters.failpoints());
  }

  @Provides
  @Singleton
  static MessageCodec messageCodec() {
    return new MessageCodec();
  }

  @Provides
  @Singleton
  static ResultJson resultJson(MessageCodec codec) {
    return new ResultJson(codec.mapper());
  }

  @Provides
  @Singleton
  static WireErrors wireErrors() {
    return new WireErrors();
  }

  @Provides
  @Singleton
  static ServerIdentity serverIdentity() {
    return ServerIdentity.load();
  }

  @Provides
  @Singleton
  @Blocking
  static ExecutorService blockingExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        4,
        r -> {
          Thread t = new Thread(r, "rstmdb-blocking-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Provides
  @Singleton
  static Dispatcher dispatcher(
      Database db,
      ResultJson json,
      WireErrors errors,
      ServerIdentity identity,
      @Blocking ExecutorService blocking) {
    return new Dispatcher(db, json, errors, identity, blocking);
  }

  @Provides
  @Singleton
  static WatchHub watchHub(Database db, ServerConfig config, MessageCodec codec) {
    return new WatchHub(db, config.network().maxSubscriptionsPerConnection(), codec);
  }
}
