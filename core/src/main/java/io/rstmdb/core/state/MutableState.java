package io.rstmdb.core.state;

/** State that WAL entries can be applied to: the live state or a scratch copy for a batch. */
public interface MutableState extends StateView {
  void putMachine(MachineRecord machine);

  void putInstance(InstanceRecord instance);

  void putIdempotency(IdempotencyRecord record);

  /**
   * Forgets the APPLY-scoped keys of an instance id, because a new instance now carries that id (a
   * deleted instance was recreated) and the old instance's results must not answer for it.
   */
  void forgetApplyKeys(String instanceId);

  /** Forgets everything (FLUSH_ALL). */
  void clear();
}
