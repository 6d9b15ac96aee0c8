package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A SnapshotPort in memory for engine tests, with a switch to damage a stored snapshot. */
class InMemorySnapshots implements SnapshotPort {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final List<Stored> stored = new ArrayList<>(); // newest first
  private final Set<String> damaged = ConcurrentHashMap.newKeySet();
  final List<String> deleted = new ArrayList<>();

  private record Stored(SnapshotInfo info, List<JsonNode> items) {}

  @Override
  public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
    List<JsonNode> items = new ArrayList<>();
    return new SnapshotWriter() {
      @Override
      public void write(JsonNode item) {
        // As bytes and back, as a real store does: items may hold nodes that only write raw JSON.
        try {
          items.add(MAPPER.readTree(MAPPER.writeValueAsBytes(item)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public SnapshotInfo commit() {
        StringBuilder all = new StringBuilder();
        items.forEach(i -> all.append(i).append('\n'));
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        SnapshotInfo info =
            new SnapshotInfo(
                "snap-" + UUID.randomUUID(),
                kind,
                walOffset,
                createdAt,
                bytes.length,
                Hashing.sha256().hashBytes(bytes).toString(),
                items.size());
        synchronized (InMemorySnapshots.this) {
          stored.add(0, new Stored(info, List.copyOf(items)));
        }
        return info;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public synchronized List<SnapshotInfo> list() {
    return stored.stream().map(Stored::info).toList();
  }

  @Override
  public synchronized SnapshotReader open(String snapshotId) {
    Stored s =
        stored.stream()
            .filter(x -> x.info().id().equals(snapshotId))
            .findFirst()
            .orElseThrow(
                () ->
                    new RstmdbException(
                        ErrorCode.INTERNAL_ERROR, "snapshot " + snapshotId + " is missing"));
    if (damaged.contains(snapshotId)) {
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR, "snapshot " + snapshotId + ": checksum mismatch");
    }
    Iterator<JsonNode> items = s.items().iterator();
    return new SnapshotReader() {
      @Override
      public SnapshotInfo info() {
        return s.info();
      }

      @Override
      public JsonNode next() {
        return items.hasNext() ? items.next().deepCopy() : null;
      }

      @Override
      public void close() {}
    };
  }

  /** Items of a stored snapshot, for assertions. */
  synchronized List<JsonNode> items(String snapshotId) {
    return stored.stream()
        .filter(x -> x.info().id().equals(snapshotId))
        .findFirst()
        .orElseThrow()
        .items();
  }

  void damage(String snapshotId) {
    damaged.add(snapshotId);
  }

  @Override
  public synchronized void delete(String snapshotId) {
    if (stored.removeIf(s -> s.info().id().equals(snapshotId))) {
      deleted.add(snapshotId);
    }
  }

  @Override
  public void close() {}
}
