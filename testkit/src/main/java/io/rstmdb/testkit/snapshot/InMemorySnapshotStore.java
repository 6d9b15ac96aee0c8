package io.rstmdb.testkit.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The reference {@link SnapshotPort}: snapshots kept in memory, with the same observable behaviour
 * as the file store, including checksums. Each snapshot is stored as bytes (a header line, then one
 * compact JSON line per item), so items are copied on write and damage can be simulated with {@link
 * #corrupt}.
 *
 * <p>{@link #reopen()} stands for a process restart: it returns a new store over the same committed
 * snapshots, and writers of the old store can no longer commit.
 *
 * <pre>{@code
 * InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
 * Engine engine = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
 * ...
 * InMemorySnapshotStore afterRestart = snapshots.reopen();
 * }</pre>
 */
public final class InMemorySnapshotStore implements SnapshotPort {
  private static final int MAX_NESTING_DEPTH = 1000;

  private final Shelf shelf;
  private final ObjectMapper mapper;
  private volatile boolean closed;

  /** An empty store. */
  public InMemorySnapshotStore() {
    this(new Shelf());
  }

  private InMemorySnapshotStore(Shelf shelf) {
    this.shelf = shelf;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();
    this.mapper = new ObjectMapper(factory);
  }

  /**
   * Closes this store and returns a new one over the same committed snapshots, as a restart would
   * find them.
   */
  public InMemorySnapshotStore reopen() {
    close();
    return new InMemorySnapshotStore(shelf);
  }

  /**
   * Flips one byte in the middle of a committed snapshot's stored bytes, so that {@link #open}
   * reports it as damaged.
   *
   * @throws IllegalArgumentException when no such snapshot is committed
   */
  public void corrupt(String snapshotId) {
    shelf.corrupt(snapshotId);
  }

  @Override
  public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
    Objects.requireNonNull(kind, "kind");
    if (walOffset < 0) {
      throw new IllegalArgumentException("walOffset must be >= 0, was " + walOffset);
    }
    requireOpen();
    return new Writer(kind, walOffset, createdAt);
  }

  @Override
  public List<SnapshotInfo> list() {
    List<SnapshotInfo> infos = new ArrayList<>();
    for (Stored s : shelf.snapshot()) {
      infos.add(s.info());
    }
    Collections.reverse(infos);
    return Collections.unmodifiableList(infos);
  }

  @Override
  public SnapshotReader open(String snapshotId) {
    Stored stored =
        shelf
            .find(snapshotId)
            .orElseThrow(
                () ->
                    new RstmdbException(
                        ErrorCode.NOT_FOUND, "snapshot " + snapshotId + " does not exist"));
    byte[] content = stored.content();
    SnapshotInfo info = stored.info();
    String actual = sha256(content);
    if (content.length != info.sizeBytes() || !actual.equals(info.checksum())) {
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR,
          "snapshot "
              + snapshotId
              + " (memory) is damaged: SHA-256 is "
              + actual
              + ", recorded "
              + info.checksum());
    }
    return new Reader(info, content);
  }

  @Override
  public void delete(String snapshotId) {
    requireOpen();
    shelf.remove(snapshotId);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("in-memory snapshot store is closed");
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private record Stored(SnapshotInfo info, byte[] content) {}

  /** Committed snapshots in commit order, shared by a store and the stores reopened from it. */
  private static final class Shelf {
    private final List<Stored> committed = new ArrayList<>();

    synchronized List<Stored> snapshot() {
      return List.copyOf(committed);
    }

    synchronized Optional<Stored> find(String id) {
      return committed.stream().filter(s -> s.info().id().equals(id)).findFirst();
    }

    synchronized void add(Stored stored) {
      committed.add(stored);
    }

    synchronized void remove(String id) {
      committed.removeIf(s -> s.info().id().equals(id));
    }

    synchronized void corrupt(String id) {
      for (int i = 0; i < committed.size(); i++) {
        Stored s = committed.get(i);
        if (s.info().id().equals(id)) {
          byte[] damaged = s.content().clone();
          damaged[damaged.length / 2] ^= (byte) 0xFF;
          committed.set(i, new Stored(s.info(), damaged));
          return;
        }
      }
      throw new IllegalArgumentException("no committed snapshot " + id);
    }
  }

  private final class Writer implements SnapshotWriter {
    private final String id = "snap-" + UUID.randomUUID();
    private final SnapshotKind kind;
    private final long walOffset;
    private final long createdAt;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private long itemCount;
    private boolean done;

    Writer(SnapshotKind kind, long walOffset, long createdAt) {
      this.kind = kind;
      this.walOffset = walOffset;
      this.createdAt = createdAt;
      ObjectNode header = mapper.createObjectNode();
      header.put("kind", kind.name());
      header.put("wal_offset", walOffset);
      header.put("created_at", createdAt);
      content.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
      content.write('\n');
    }

    @Override
    public synchronized void write(JsonNode item) {
      Objects.requireNonNull(item, "item");
      requireWriting();
      byte[] bytes;
      try {
        bytes = mapper.writeValueAsBytes(item);
      } catch (IOException e) {
        throw new IllegalArgumentException("snapshot item cannot be written as JSON: " + e, e);
      }
      try {
        mapper.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "snapshot item would not read back (invalid Unicode or too deep?): " + e.getMessage(),
            e);
      }
      content.writeBytes(bytes);
      content.write('\n');
      itemCount++;
    }

    @Override
    public synchronized SnapshotInfo commit() {
      requireWriting();
      requireOpen();
      byte[] bytes = content.toByteArray();
      SnapshotInfo info =
          new SnapshotInfo(id, kind, walOffset, createdAt, bytes.length, sha256(bytes), itemCount);
      shelf.add(new Stored(info, bytes));
      done = true;
      return info;
    }

    @Override
    public synchronized void close() {
      done = true;
    }

    private void requireWriting() {
      if (done) {
        throw new IllegalStateException("snapshot writer " + id + " is committed or closed");
      }
    }
  }

  private final class Reader implements SnapshotReader {
    private final SnapshotInfo info;
    private final byte[] content;
    private int position;
    private boolean closed;

    Reader(SnapshotInfo info, byte[] content) {
      this.info = info;
      this.content = content;
      this.position = indexOfNewline(0) + 1; // skip the header line
    }

    @Override
    public SnapshotInfo info() {
      return info;
    }

    @Override
    public synchronized JsonNode next() {
      if (closed) {
        throw new IllegalStateException("snapshot reader " + info.id() + " is closed");
      }
      if (position >= content.length) {
        return null;
      }
      int end = indexOfNewline(position);
      try {
        JsonNode item = mapper.readTree(content, position, end - position);
        position = end + 1;
        return item;
      } catch (IOException e) {
        throw new RstmdbException(
            ErrorCode.INTERNAL_ERROR,
            "snapshot " + info.id() + " (memory) is damaged: " + e.getMessage(),
            e);
      }
    }

    @Override
    public synchronized void close() {
      closed = true;
    }

    private int indexOfNewline(int from) {
      for (int i = from; i < content.length; i++) {
        if (content[i] == '\n') {
          return i;
        }
      }
      return content.length;
    }
  }
}
