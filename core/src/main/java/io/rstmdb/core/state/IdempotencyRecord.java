package io.rstmdb.core.state;

import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstanceResult;
import java.util.Objects;

/**
 * What a retried request with a known idempotency key gets back: the original result, stamped with
 * the time of the original write so expiry survives restarts.
 *
 * @param result a {@link CreateInstanceResult}, an {@link ApplyEventResult} (with {@code applied}
 *     false, as replays report it) or a {@link DeleteInstanceResult}
 */
public record IdempotencyRecord(IdempotencyKey key, long ts, Object result) {

  public IdempotencyRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(result, "result");
    boolean fits =
        switch (key.scope()) {
          case APPLY -> result instanceof ApplyEventResult;
          case CREATE -> result instanceof CreateInstanceResult;
          case DELETE -> result instanceof DeleteInstanceResult;
        };
    if (!fits) {
      throw new IllegalArgumentException("result does not match scope " + key.scope());
    }
  }

  /** Whether the key is still honoured at {@code now} given the retention. */
  public boolean liveAt(long now, long retentionMillis) {
    return now - ts < retentionMillis;
  }
}
