package io.rstmdb.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.RcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The invariants checked after every recovery, against a live server over the wire:
 *
 * <ul>
 *   <li>every acknowledged create and apply is present, with the acknowledged wal_offset;
 *   <li>failed operations are absent; indeterminate ones whole or absent; atomic batches all or
 *       nothing;
 *   <li>each instance's apply_event records form a gap-free chain (from_state = previous to_state);
 *   <li>WAL offsets strictly increase; a record once read never changes or disappears (until
 *       compaction removes it) and new records never take an offset already seen;
 *   <li>idempotent retries of acknowledged requests change nothing (applied:false, same offset, no
 *       new WAL record).
 * </ul>
 *
 * The checker remembers what it read of the WAL between calls, so reuse of an offset across a
 * restart is caught. Violations are collected and reported together.
 */
final class Checker {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Duration timeout;
  private final Random random;

  /** offset -> fingerprint of every record read so far (and still retained). */
  private final NavigableMap<Long, String> seen = new TreeMap<>();

  private boolean flushTolerated;

  Checker(Duration timeout, long seed) {
    this.timeout = timeout;
    this.random = new Random(seed);
  }

  /** What one check looked at. */
  record Report(int instances, int walRecords, long acked, int retries) {}

  /**
   * Tolerates a FLUSH_ALL that may or may not have become durable: instances may then be gone all
   * together (checked by the caller), so absence alone is not a violation.
   */
  void tolerateFlush() {
    flushTolerated = true;
  }

  Report check(RcpClient client, History history) {
    List<String> violations = new ArrayList<>();
    Model model = Model.fold(history);
    Map<String, JsonNode> found = fetchInstances(client, model, violations);
    for (Map.Entry<String, Model.Line> e : model.lines().entrySet()) {
      checkInstance(e.getKey(), e.getValue(), found.get(e.getKey()), violations);
    }
    for (Op batch : model.batches()) {
      checkBatch(batch, model, found, violations);
    }
    List<WalScan.Entry> wal = WalScan.read(client, 0, timeout);
    checkWal(wal, model, violations);
    int retries = violations.isEmpty() ? retryAcked(client, model, violations) : 0;
    if (!violations.isEmpty()) {
      throw new AssertionError(
          violations.size()
              + " invariant violation(s) after recovery:\n  "
              + String.join("\n  ", violations.subList(0, Math.min(40, violations.size()))));
    }
    return new Report(model.lines().size(), wal.size(), history.count(Outcome.Status.OK), retries);
  }

  private Map<String, JsonNode> fetchInstances(
      RcpClient client, Model model, List<String> violations) {
    Map<String, CompletableFuture<JsonNode>> pending = new LinkedHashMap<>();
    for (String id : model.lines().keySet()) {
      pending.put(id, client.call("GET_INSTANCE", JSON.objectNode().put("instance_id", id)));
    }
    Map<String, JsonNode> found = new HashMap<>();
    pending.forEach(
        (id, future) -> {
          Reply r = Reply.await(future, timeout);
          if (r.ok()) {
            found.put(id, r.result());
          } else if (!"INSTANCE_NOT_FOUND".equals(r.errorCode())) {
            violations.add("GET_INSTANCE " + id + " answered " + r);
          }
        });
    return found;
  }

  private void checkInstance(String id, Model.Line line, JsonNode got, List<String> violations) {
    List<Model.StepRef> acked = line.acked();
    Model.StepRef maybe = line.indeterminate();
    Outcome.Status created = line.create() == null ? null : line.create().status();
    if (got == null) {
      if (flushTolerated) {
        return;
      }
      if (created == Outcome.Status.OK) {
        violations.add("LOST: acknowledged create of " + id + " is missing");
      } else if (!acked.isEmpty()) {
        violations.add("LOST: " + id + " is missing but " + acked.size() + " applies were acked");
      }
      return;
    }
    if (created == Outcome.Status.FAILED) {
      violations.add("VISIBLE FAILURE: failed create of " + id + " is present: " + got);
      return;
    }
    String state = got.path("state").asText();
    String lastEvent = got.path("last_event_id").asText(null);
    long lastOffset = got.path("last_wal_offset").asLong();
    int k = acked.size();
    if (state.equals(Model.stateAfter(k))
        && sameEvent(lastEvent, k == 0 ? null : acked.get(k - 1))) {
      long expected = k == 0 ? line.create().offset() : acked.get(k - 1).offset();
      if (expected >= 0 && lastOffset != expected) {
        violations.add(
            "OFFSET: " + id + " last_wal_offset " + lastOffset + ", acknowledged " + expected);
      }
      return;
    }
    if (maybe != null
        && state.equals(Model.stateAfter(k + 1))
        && maybe.step().eventId().equals(lastEvent)) {
      return; // the indeterminate apply landed, whole
    }
    violations.add(
        "STATE: "
            + id
            + " is "
            + state
            + " (last_event_id "
            + lastEvent
            + ") but "
            + k
            + " applies were acked"
            + (maybe != null ? " and " + maybe.step().eventId() + " is indeterminate" : "")
            + (line.applies().size() > k + (maybe == null ? 0 : 1) ? " (some failed)" : ""));
  }

  private static boolean sameEvent(String lastEvent, Model.StepRef apply) {
    return apply == null ? lastEvent == null : apply.step().eventId().equals(lastEvent);
  }

  private void checkBatch(
      Op batch, Model model, Map<String, JsonNode> found, List<String> violations) {
    if (flushTolerated) {
      return;
    }
    Set<Boolean> presence = new HashSet<>();
    for (Step s : batch.steps()) {
      if (s.kind() == Step.Kind.CREATE) {
        presence.add(found.containsKey(s.instanceId()));
      } else if (batch.status() != Outcome.Status.OK) {
        // A batch that is not acked is the last thing its target instance saw.
        JsonNode target = found.get(s.instanceId());
        presence.add(target != null && s.eventId().equals(target.path("last_event_id").asText()));
      }
    }
    if (presence.size() > 1) {
      violations.add("HALF BATCH: " + batch + " is partly visible");
    } else if (batch.status() == Outcome.Status.OK && presence.contains(false)) {
      violations.add("LOST: acknowledged batch " + batch + " is missing");
    } else if (batch.status() == Outcome.Status.FAILED && presence.contains(true)) {
      violations.add("VISIBLE FAILURE: failed batch " + batch + " is visible");
    }
  }

  private void checkWal(List<WalScan.Entry> wal, Model model, List<String> violations) {
    long oldest = wal.isEmpty() ? Long.MAX_VALUE : wal.get(0).offset();
    Map<Long, WalScan.Entry> byOffset = new HashMap<>();
    Map<String, String> chain = new HashMap<>();
    Map<String, Long> eventIds = new HashMap<>();
    long previous = -1;
    long seenMax = seen.isEmpty() ? -1 : seen.lastKey();
    for (WalScan.Entry e : wal) {
      if (e.offset() <= previous) {
        violations.add("WAL ORDER: offset " + e.offset() + " after " + previous);
      }
      previous = e.offset();
      byOffset.put(e.offset(), e);
      String fingerprint = e.entry().toString();
      String before = seen.get(e.offset());
      if (before != null && !before.equals(fingerprint)) {
        violations.add("WAL CHANGED at " + e.offset() + ": was " + before + ", now " + fingerprint);
      } else if (before == null && e.offset() <= seenMax) {
        violations.add("WAL REUSE/INSERT: new record at already passed offset " + e.offset());
      }
      String id = e.instanceId();
      switch (e.type()) {
        case "create_instance" -> chain.put(id, e.entry().path("initial_state").asText());
        case "apply_event" -> {
          String from = e.entry().path("from_state").asText();
          String expected = chain.get(id);
          if (expected != null && !expected.equals(from)) {
            violations.add(
                "CHAIN GAP: " + id + " at " + e.offset() + " from " + from + ", was " + expected);
          }
          chain.put(id, e.entry().path("to_state").asText());
          String eventId = e.entry().path("event_id").asText(null);
          if (eventId != null && eventIds.put(eventId, e.offset()) != null) {
            violations.add("DUPLICATE: event " + eventId + " applied twice");
          }
        }
        case "flush_all" -> chain.clear();
        default -> {}
      }
    }
    for (Map.Entry<Long, String> old : seen.tailMap(oldest, true).entrySet()) {
      if (!byOffset.containsKey(old.getKey()) && !flushTolerated) {
        violations.add("WAL LOST: record at " + old.getKey() + " read before is gone");
      }
    }
    for (Model.Line line : model.lines().values()) {
      List<Model.StepRef> steps = new ArrayList<>(line.applies());
      if (line.create() != null) {
        steps.add(line.create());
      }
      for (Model.StepRef ref : steps) {
        Step s = ref.step();
        if (ref.status() == Outcome.Status.OK && ref.offset() >= oldest) {
          WalScan.Entry at = byOffset.get(ref.offset());
          boolean matches =
              at != null
                  && s.instanceId().equals(at.instanceId())
                  && (s.kind() == Step.Kind.CREATE
                      ? at.type().equals("create_instance")
                      : s.eventId().equals(at.entry().path("event_id").asText()));
          if (!matches && !flushTolerated) {
            violations.add("WAL: acked " + s + " at " + ref.offset() + " but the WAL holds " + at);
          }
        } else if (ref.status() == Outcome.Status.FAILED
            && s.kind() == Step.Kind.APPLY
            && eventIds.containsKey(s.eventId())) {
          violations.add("VISIBLE FAILURE: failed " + s + " is in the WAL");
        }
      }
    }
    seen.clear();
    wal.forEach(e -> seen.put(e.offset(), e.entry().toString()));
  }

  /** Retries a few acknowledged requests with their idempotency keys: nothing may change. */
  private int retryAcked(RcpClient client, Model model, List<String> violations) {
    if (flushTolerated) {
      return 0;
    }
    List<Model.StepRef> candidates = new ArrayList<>();
    for (Model.Line line : model.lines().values()) {
      for (Model.StepRef ref : line.acked()) {
        if (!ref.op().atomicBatch()) {
          candidates.add(ref);
        }
      }
      if (line.create() != null
          && line.create().status() == Outcome.Status.OK
          && !line.create().op().atomicBatch()) {
        candidates.add(line.create());
      }
    }
    if (candidates.isEmpty()) {
      return 0;
    }
    long headBefore = walHead(client);
    int retries = Math.min(4, candidates.size());
    for (int i = 0; i < retries; i++) {
      Model.StepRef ref = candidates.get(random.nextInt(candidates.size()));
      Step s = ref.step();
      ObjectNode params = JSON.objectNode().put("instance_id", s.instanceId());
      String op;
      if (s.kind() == Step.Kind.CREATE) {
        op = "CREATE_INSTANCE";
        params.put("machine", Model.MACHINE).put("version", 1);
      } else {
        op = "APPLY_EVENT";
        params.put("event", s.event()).put("event_id", s.eventId());
      }
      params.put("idempotency_key", s.idempotencyKey());
      Reply r = Reply.call(client, op, params, timeout);
      if (!r.ok()) {
        violations.add("RETRY of acked " + s + " answered " + r);
      } else if (r.result().path("wal_offset").asLong() != ref.offset()
          || (s.kind() == Step.Kind.APPLY && r.result().path("applied").asBoolean(true))) {
        violations.add(
            "RETRY of acked " + s + " at " + ref.offset() + " changed something: " + r.result());
      }
    }
    long headAfter = walHead(client);
    if (headAfter != headBefore) {
      violations.add("RETRY wrote to the WAL: head " + headBefore + " -> " + headAfter);
    }
    return retries;
  }

  private long walHead(RcpClient client) {
    return Reply.call(client, "WAL_STATS", null, timeout)
        .orFail("WAL_STATS")
        .path("latest_offset")
        .asLong(-1);
  }
}
