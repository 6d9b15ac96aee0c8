package io.rstmdb.core.state;

/** Read access to database state, as command validation needs it. */
public interface StateView {
  /** The instance, deleted or not; {@code null} when unknown. */
  InstanceRecord instance(String id);

  /** {@code null} when the version is not stored. */
  MachineRecord machine(MachineKey key);

  /** How many versions of the named machine are stored. */
  int versionCount(String machine);

  /** The stored key, expired or not; {@code null} when unknown. */
  IdempotencyRecord idempotency(IdempotencyKey key);
}
