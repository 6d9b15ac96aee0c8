package io.rstmdb.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CompactResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.FlushResult;
import io.rstmdb.core.api.InstancePage;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.api.MachineSummary;
import io.rstmdb.core.api.MachineView;
import io.rstmdb.core.api.PutMachineResult;
import io.rstmdb.core.api.SnapshotInstanceResult;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.message.CanonicalJsonBuffer;
import io.rstmdb.protocol.message.WireError;
import java.util.List;

/**
 * Core results as the wire's result objects, with exactly the field names official clients read
 * (operations.md §21, the seed page for storage ops). Key order does not matter to the wire (the
 * codec sorts keys when it writes), but the per-request results are built in key order, so the
 * codec finds them sorted and skips the sort.
 */
public final class ResultJson {
  /**
   * The most record JSON one WAL_READ reply carries: the 16 MiB frame less room for the envelope.
   * The WAL stores at most 64 KiB less per write, so a page always holds at least one record.
   */
  static final int WAL_READ_PAGE_BYTES = ProtocolLimits.MAX_PAYLOAD - 32 * 1024;

  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private final ObjectMapper mapper;

  public ResultJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectNode object() {
    return nodes.objectNode();
  }

  public ObjectNode putMachine(PutMachineResult r) {
    ObjectNode o = object();
    o.put("machine", r.machine());
    o.put("version", r.version());
    o.put("stored_checksum", r.storedChecksum());
    o.put("created", r.created());
    return o;
  }

  public ObjectNode getMachine(MachineView v) {
    ObjectNode o = object();
    o.set("definition", v.definition());
    o.put("checksum", v.checksum());
    return o;
  }

  public ObjectNode listMachines(List<MachineSummary> machines) {
    ArrayNode items = nodes.arrayNode();
    for (MachineSummary m : machines) {
      ObjectNode item = items.addObject();
      item.put("machine", m.machine());
      ArrayNode versions = item.putArray("versions");
      m.versions().forEach(versions::add);
    }
    ObjectNode o = object();
    o.set("items", items);
    return o;
  }

  public ObjectNode createInstance(CreateInstanceResult r) {
    ObjectNode o = object();
    o.put("instance_id", r.instanceId());
    o.put("state", r.state());
    o.put("wal_offset", r.walOffset());
    return o;
  }

  public ObjectNode getInstance(InstanceView v) {
    ObjectNode o = object();
    o.set("ctx", ctx(v));
    if (v.lastEventId() != null) {
      o.put("last_event_id", v.lastEventId());
    }
    o.put("last_wal_offset", v.lastWalOffset());
    o.put("machine", v.machine());
    o.put("state", v.state());
    o.put("version", v.version());
    return o;
  }

  /**
   * The ctx of a GET_INSTANCE result: a packed ctx's bytes are copied into canonical form without
   * building a tree (the engine holds every ctx packed); anything the copier will not vouch for,
   * and views that hold a tree, go through the tree.
   */
  private JsonNode ctx(InstanceView v) {
    byte[] json = v.ctxJson();
    if (json != null) {
      CanonicalJsonBuffer out = new CanonicalJsonBuffer(json.length + 16);
      if (out.storedObject(json)) {
        return out.toNode();
      }
    }
    JsonNode tree = v.ctx();
    return tree == null ? nodes.objectNode() : tree;
  }

  public ObjectNode listInstances(InstancePage page) {
    ArrayNode list = nodes.arrayNode();
    for (InstanceView v : page.instances()) {
      ObjectNode s = list.addObject();
      s.put("id", v.id());
      s.put("machine", v.machine());
      s.put("version", v.version());
      s.put("state", v.state());
      s.put("created_at", v.createdAt());
      s.put("updated_at", v.updatedAt());
      s.put("last_wal_offset", v.lastWalOffset());
    }
    ObjectNode o = object();
    o.set("instances", list);
    o.put("total", page.total());
    o.put("has_more", page.hasMore());
    return o;
  }

  public ObjectNode deleteInstance(DeleteInstanceResult r) {
    ObjectNode o = object();
    o.put("deleted", r.deleted());
    o.put("instance_id", r.instanceId());
    o.put("wal_offset", r.walOffset());
    return o;
  }

  public ObjectNode applyEvent(ApplyEventResult r) {
    ObjectNode o = object();
    o.put("applied", r.applied());
    o.set("ctx", r.ctx() == null ? nodes.nullNode() : r.ctx());
    if (r.eventId() != null) {
      o.put("event_id", r.eventId());
    }
    o.put("from_state", r.fromState());
    o.put("to_state", r.toState());
    o.put("wal_offset", r.walOffset());
    return o;
  }

  public ObjectNode snapshotInstance(SnapshotInstanceResult r) {
    ObjectNode o = object();
    o.put("instance_id", r.instanceId());
    o.put("snapshot_id", r.snapshotId());
    o.put("wal_offset", r.walOffset());
    o.put("size_bytes", r.sizeBytes());
    o.put("checksum", r.checksum());
    return o;
  }

  /**
   * {@code {"next_offset":…,"records":[{"entry":…,"offset":…,"sequence":…},…]}}, written here in
   * canonical form (keys sorted) rather than as a tree: a page holds up to 1,000 entries, and each
   * entry's stored JSON is copied into canonical form without being parsed (the log's {@link
   * WalRecord#storedBody()}); only entries without stored bytes, or whose bytes the copier will not
   * vouch for, go through their parsed body.
   *
   * @throws io.rstmdb.core.error.RstmdbException WAL_IO_ERROR when an entry must be parsed and its
   *     stored bytes do not parse
   */
  /**
   * The page as the wire's result, cut short where the records stop fitting one reply frame: the
   * rest goes to the next page ({@code next_offset} follows the last record sent), so a reader
   * always moves forward, also past big records.
   */
  public JsonNode walRead(WalReadResult r) {
    List<WalRecord> records = r.records();
    long next = r.nextOffset();
    int expected = 64;
    for (WalRecord rec : records) {
      byte[] stored = rec.storedBody();
      expected += 64 + (stored == null ? 256 : stored.length);
    }
    expected = Math.min(expected, WAL_READ_PAGE_BYTES);
    while (true) {
      CanonicalJsonBuffer out = new CanonicalJsonBuffer(expected);
      int written = writePage(out, records, next);
      if (written == records.size()) {
        return out.toNode();
      }
      // Too big for one reply (big records, or doubles spelled longer on the wire than stored):
      // send the records that fit, the rest on the next page.
      records = records.subList(0, written);
      next = records.get(written - 1).offset() + 1;
    }
  }

  /**
   * Writes a page of {@code records}; returns how many it holds: all of them, or (when the page
   * outgrew a reply frame) those before the one that made it too big, at least one.
   */
  private static int writePage(CanonicalJsonBuffer out, List<WalRecord> records, long next) {
    out.ascii("{\"next_offset\":").number(next).ascii(",\"records\":[");
    for (int i = 0; i < records.size(); i++) {
      WalRecord rec = records.get(i);
      out.ascii(i == 0 ? "{\"entry\":" : ",{\"entry\":");
      byte[] stored = rec.storedBody();
      if (stored == null || !out.storedObject(stored)) {
        out.canonical(rec.entry().body());
      }
      out.ascii(",\"offset\":").number(rec.offset());
      out.ascii(",\"sequence\":").number(rec.sequence()).ascii("}");
      if (i > 0 && out.size() > WAL_READ_PAGE_BYTES) {
        return i;
      }
    }
    out.ascii("]}");
    return records.size();
  }

  public ObjectNode walStats(WalStats s) {
    ObjectNode o = object();
    o.put("entry_count", s.entryCount());
    o.put("segment_count", s.segmentCount());
    o.put("total_size_bytes", s.totalSizeBytes());
    if (s.latestOffset() >= 0) {
      o.put("latest_offset", s.latestOffset());
    }
    ObjectNode io = o.putObject("io_stats");
    io.put("bytes_written", s.io().bytesWritten());
    io.put("bytes_read", s.io().bytesRead());
    io.put("writes", s.io().writes());
    io.put("reads", s.io().reads());
    io.put("fsyncs", s.io().fsyncs());
    return o;
  }

  public ObjectNode compact(CompactResult r) {
    ObjectNode o = object();
    o.put("snapshots_created", r.snapshotsCreated());
    o.put("segments_deleted", r.segmentsDeleted());
    o.put("bytes_reclaimed", r.bytesReclaimed());
    o.put("total_snapshots", r.totalSnapshots());
    o.put("wal_segments", r.walSegments());
    return o;
  }

  public ObjectNode flushAll(FlushResult r) {
    ObjectNode o = object();
    o.put("flushed", true);
    o.put("instances_removed", r.instancesRemoved());
    o.put("machines_removed", r.machinesRemoved());
    return o;
  }

  /** The {@code error} object of wire.md §4.3, as it appears inside batch results. */
  public ObjectNode error(WireError e) {
    ObjectNode o = object();
    o.put("code", e.code().name());
    o.put("message", e.message());
    o.put("retryable", e.retryable());
    if (!e.details().isEmpty()) {
      o.set("details", mapper.valueToTree(e.details()));
    }
    return o;
  }

  /** Wraps any JSON value; {@code null} becomes JSON null. */
  public JsonNode orNull(JsonNode value) {
    return value == null ? nodes.nullNode() : value;
  }
}
