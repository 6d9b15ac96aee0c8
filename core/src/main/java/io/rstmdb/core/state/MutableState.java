package io.rstmdb.core.state;

/** State that WAL entries can be applied to: the live state or a scratch copy for a batch. */
public interface MutableState extends StateView {
  void putMachine(MachineRecord machine);

  void putInstance(InstanceRecord instance);

  void putIdempotency(IdempotencyRecord record);

  /** Forgets everything (FLUSH_ALL). */
  void clear();
}
