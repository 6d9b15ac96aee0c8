package io.rstmdb.core.state;

import io.rstmdb.core.json.CanonicalJson;
import io.rstmdb.core.json.PackedJson;
import java.util.AbstractCollection;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live database state. Exactly one thread (the sequencer, or recovery before it starts) writes;
 * any thread may read concurrently. Records are immutable, so a reader always sees whole records,
 * and the sorted maps give the listing order of decision 19 without sorting on every request.
 *
 * <p>Instances live in a hash map by id; the listing order is a sorted set of their ids next to it.
 * Every request looks its instance up, and a sorted map compares the id with ~20 others on the way
 * (ids that share a long prefix, as generated ones do, make each comparison walk it): that was 8 %
 * of the event loop's CPU per APPLY_EVENT, and putting the changed record back cost as much again.
 * Now only a new id touches the sorted set. Machines get the same hash lookup.
 */
public final class DatabaseState implements MutableState {

  private final ConcurrentSkipListMap<MachineKey, MachineRecord> machines =
      new ConcurrentSkipListMap<>();
  private final ConcurrentMap<MachineKey, MachineRecord> machinesByKey = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, InstanceRecord> instancesById = new ConcurrentHashMap<>();

  /** The capture in progress, if any; written under the writer's lock. */
  private volatile InstanceCapture capture;

  /** The ids of {@link #instancesById}, in listing order; an id is added after its record. */
  private final ConcurrentSkipListSet<String> instanceIds =
      new ConcurrentSkipListSet<>(CanonicalJson.codePointOrder());

  private final Collection<InstanceRecord> instancesInOrder = new InstancesInOrder();
  private final ConcurrentMap<IdempotencyKey, IdempotencyRecord> idempotency =
      new ConcurrentHashMap<>();

  /**
   * The last {@value #UNPACKED_WINDOW} records written with a {@link PackedJson.Fresh} ctx, oldest
   * first; only the writer touches it. A record leaving it is replaced by its packed copy unless a
   * newer record replaced it first. Why: packing a ctx and unpacking it for the next event on the
   * same instance was ~15 % of APPLY_EVENT's CPU (RequestPathBench); an instance that gets events
   * often keeps its tree, and the trees held are bounded by the window, not by the instances.
   */
  private final ArrayDeque<InstanceRecord> unpacked = new ArrayDeque<>();

  static final int UNPACKED_WINDOW = 1024;

  /** Instances not deleted; kept so an unfiltered listing need not count them one by one. */
  private final AtomicLong liveInstances = new AtomicLong();

  @Override
  public InstanceRecord instance(String id) {
    return instancesById.get(id);
  }

  @Override
  public MachineRecord machine(MachineKey key) {
    return machinesByKey.get(key);
  }

  @Override
  public int versionCount(String machine) {
    return machineVersions(machine).size();
  }

  @Override
  public IdempotencyRecord idempotency(IdempotencyKey key) {
    return idempotency.get(key);
  }

  @Override
  public void putMachine(MachineRecord machine) {
    machines.put(machine.key(), machine);
    machinesByKey.put(machine.key(), machine);
  }

  @Override
  public void putInstance(InstanceRecord instance) {
    put(instance);
    if (instance.ctx() instanceof PackedJson.Fresh) {
      unpacked.addLast(instance);
      if (unpacked.size() > UNPACKED_WINDOW) {
        InstanceRecord oldest = unpacked.pollFirst();
        if (instancesById.get(oldest.id()) == oldest) {
          put(oldest.packed());
        }
      }
    }
  }

  private void put(InstanceRecord instance) {
    InstanceCapture running = capture;
    if (running != null) {
      running.remember(instance.id(), instancesById.get(instance.id()));
    }
    InstanceRecord previous = instancesById.put(instance.id(), instance);
    if (previous == null) {
      instanceIds.add(instance.id());
    }
    long delta = (instance.deleted() ? 0 : 1) - (previous == null || previous.deleted() ? 0 : 1);
    if (delta != 0) {
      liveInstances.addAndGet(delta);
    }
  }

  @Override
  public void putIdempotency(IdempotencyRecord record) {
    idempotency.put(record.key(), record);
  }

  @Override
  public void forgetApplyKeys(String instanceId) {
    idempotency.keySet().removeIf(k -> instanceId.equals(k.instanceId()));
  }

  @Override
  public void clear() {
    InstanceCapture running = capture;
    if (running != null) {
      running.rememberAllThenClear(instancesById.values());
    }
    instanceIds.clear();
    instancesById.clear();
    unpacked.clear();
    liveInstances.set(0);
    machinesByKey.clear();
    machines.clear();
    idempotency.clear();
  }

  /** Stored versions of one machine, ascending. */
  public NavigableMap<MachineKey, MachineRecord> machineVersions(String machine) {
    return machines.subMap(
        new MachineKey(machine, Long.MIN_VALUE),
        true,
        new MachineKey(machine, Long.MAX_VALUE),
        true);
  }

  /** Every machine version, by name then version; a live, weakly consistent view. */
  public Collection<MachineRecord> machines() {
    return Collections.unmodifiableCollection(machines.values());
  }

  /** Every instance including deleted ones, by id; a live, weakly consistent view. */
  public Collection<InstanceRecord> instances() {
    return instancesInOrder;
  }

  /**
   * Starts a capture of the instances as they are now (see {@link InstanceCapture}). Call only from
   * the writer, under its lock; end it with {@link #endCapture} once read.
   *
   * @throws IllegalStateException when another capture is running
   */
  public InstanceCapture beginCapture() {
    if (capture != null) {
      throw new IllegalStateException("a capture is already running");
    }
    InstanceCapture begun = new InstanceCapture(this);
    capture = begun;
    return begun;
  }

  /** Stops the writer remembering records for {@code done}. */
  public void endCapture(InstanceCapture done) {
    if (capture == done) {
      capture = null;
    }
  }

  /** The instance ids in listing order; a live, weakly consistent view. */
  Iterable<String> instanceIdsInOrder() {
    return instanceIds;
  }

  /** How many instances are not deleted. */
  public long liveInstanceCount() {
    return liveInstances.get();
  }

  /** Every idempotency record, expired or not, in no particular order. */
  public Collection<IdempotencyRecord> idempotencyRecords() {
    return Collections.unmodifiableCollection(idempotency.values());
  }

  /** Drops keys that expired at {@code now}; only the writer thread may call this. */
  public void purgeExpired(long now, long retentionMillis) {
    idempotency.values().removeIf(r -> !r.liveAt(now, retentionMillis));
  }

  /**
   * The records of {@link #instanceIds} in their order. A concurrent reader may meet an id whose
   * record a FLUSH_ALL just removed; it is skipped.
   */
  private final class InstancesInOrder extends AbstractCollection<InstanceRecord> {
    @Override
    public Iterator<InstanceRecord> iterator() {
      Iterator<String> ids = instanceIds.iterator();
      return new Iterator<>() {
        private InstanceRecord next = advance();

        private InstanceRecord advance() {
          while (ids.hasNext()) {
            InstanceRecord r = instancesById.get(ids.next());
            if (r != null) {
              return r;
            }
          }
          return null;
        }

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public InstanceRecord next() {
          if (next == null) {
            throw new NoSuchElementException();
          }
          InstanceRecord r = next;
          next = advance();
          return r;
        }
      };
    }

    @Override
    public int size() {
      return instancesById.size();
    }
  }
}
