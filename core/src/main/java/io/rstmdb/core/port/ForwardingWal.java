package io.rstmdb.core.port;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A {@link WalPort} that passes every call to another one: extend it to decorate a log (inject
 * faults, count or hold back appends, add tracing) by overriding only the calls that matter. Bursts
 * ({@link #inBurst}) and cuts ({@link #cutAt}) are passed on too, so a decorated log batches and
 * cuts its storage as the bare one does.
 *
 * <p>Example, a log that counts appends:
 *
 * <pre>{@code
 * final class CountingWal extends ForwardingWal {
 *   final AtomicLong appends = new AtomicLong();
 *
 *   CountingWal(WalPort delegate) {
 *     super(delegate);
 *   }
 *
 *   @Override
 *   public Append append(List<WalEntry> entries) {
 *     appends.incrementAndGet();
 *     return super.append(entries);
 *   }
 * }
 * }</pre>
 */
public abstract class ForwardingWal implements WalPort {
  private final WalPort delegate;

  protected ForwardingWal(WalPort delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The log calls are passed to. */
  protected final WalPort delegate() {
    return delegate;
  }

  @Override
  public Append append(List<WalEntry> entries) {
    return delegate.append(entries);
  }

  @Override
  public <T> T inBurst(Supplier<T> burst) {
    return delegate.inBurst(burst);
  }

  @Override
  public CompletableFuture<Void> cutAt(long offset) {
    return delegate.cutAt(offset);
  }

  @Override
  public List<WalRecord> read(long fromOffset, int limit) {
    return delegate.read(fromOffset, limit);
  }

  @Override
  public List<WalRecord> read(long fromOffset, int limit, long maxBytes) {
    return delegate.read(fromOffset, limit, maxBytes);
  }

  @Override
  public long oldestOffset() {
    return delegate.oldestOffset();
  }

  @Override
  public long nextOffset() {
    return delegate.nextOffset();
  }

  @Override
  public long durableOffset() {
    return delegate.durableOffset();
  }

  @Override
  public WalStats stats() {
    return delegate.stats();
  }

  @Override
  public Reclaimed deleteBefore(long offset) {
    return delegate.deleteBefore(offset);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
