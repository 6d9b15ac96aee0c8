package io.rstmdb.core.state;

import java.util.Objects;

/**
 * The identity of an idempotency key within its scope.
 *
 * @param instanceId the instance for {@link IdempotencyScope#APPLY}, {@code null} otherwise
 */
public record IdempotencyKey(IdempotencyScope scope, String instanceId, String key) {

  public IdempotencyKey {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(key, "key");
    if ((scope == IdempotencyScope.APPLY) != (instanceId != null)) {
      throw new IllegalArgumentException("instanceId is required exactly for APPLY keys");
    }
  }

  public static IdempotencyKey apply(String instanceId, String key) {
    return new IdempotencyKey(IdempotencyScope.APPLY, instanceId, key);
  }

  public static IdempotencyKey create(String key) {
    return new IdempotencyKey(IdempotencyScope.CREATE, null, key);
  }

  public static IdempotencyKey delete(String key) {
    return new IdempotencyKey(IdempotencyScope.DELETE, null, key);
  }
}
