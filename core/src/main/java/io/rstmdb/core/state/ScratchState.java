package io.rstmdb.core.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A private overlay on another state: writes land here and shadow the base, which is never touched.
 * An atomic batch validates its commands against one, so later commands see the effects of earlier
 * ones while nothing is yet visible to anybody else. Single-threaded.
 */
public final class ScratchState implements MutableState {

  private final StateView base;
  private final Map<String, InstanceRecord> instances = new HashMap<>();
  private final Map<IdempotencyKey, IdempotencyRecord> idempotency = new HashMap<>();
  private final Set<String> forgotten = new HashSet<>();

  public ScratchState(StateView base) {
    this.base = base;
  }

  @Override
  public InstanceRecord instance(String id) {
    InstanceRecord own = instances.get(id);
    return own != null ? own : base.instance(id);
  }

  @Override
  public MachineRecord machine(MachineKey key) {
    return base.machine(key);
  }

  @Override
  public int versionCount(String machine) {
    return base.versionCount(machine);
  }

  @Override
  public IdempotencyRecord idempotency(IdempotencyKey key) {
    IdempotencyRecord own = idempotency.get(key);
    if (own != null || forgotten.contains(key.instanceId())) {
      return own;
    }
    return base.idempotency(key);
  }

  /** Batches hold only instance commands, so machines never change in a scratch state. */
  @Override
  public void putMachine(MachineRecord machine) {
    throw new UnsupportedOperationException("machines cannot change inside a batch");
  }

  @Override
  public void putInstance(InstanceRecord instance) {
    instances.put(instance.id(), instance);
  }

  @Override
  public void putIdempotency(IdempotencyRecord record) {
    idempotency.put(record.key(), record);
  }

  @Override
  public void forgetApplyKeys(String instanceId) {
    forgotten.add(instanceId);
    idempotency.keySet().removeIf(k -> instanceId.equals(k.instanceId()));
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("FLUSH_ALL cannot run inside a batch");
  }
}
