package io.rstmdb.server;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.rstmdb.core.api.Database;

/**
 * An event loop's I/O handler that runs each round of I/O (wait for ready connections, then read
 * and handle them all) as one {@linkplain Database#inWriteBurst burst of writes}. The mutations of
 * all connections that were ready together reach the WAL's writer with one wake-up instead of one
 * each; on a 2-vCPU VM that wake-up (a futex call) cost about as much CPU as the rest of a
 * non-durable APPLY_EVENT (docs/performance.md). Nothing in a round waits for its own writes: the
 * responses are written when the durability futures complete, after the round.
 */
final class WriteBurstIoHandler implements IoHandler {
  private final IoHandler delegate;
  private final Database database;

  WriteBurstIoHandler(IoHandler delegate, Database database) {
    this.delegate = delegate;
    this.database = database;
  }

  @Override
  public int run(IoHandlerContext context) {
    return database.inWriteBurst(() -> delegate.run(context));
  }

  @Override
  public void initialize() {
    delegate.initialize();
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return delegate.register(handle);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }
}
