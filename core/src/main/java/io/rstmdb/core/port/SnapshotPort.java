package io.rstmdb.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Durable storage for snapshots. A snapshot is an ordered stream of JSON items whose meaning
 * belongs to the engine; the store only keeps them safe and tells whether they are intact.
 *
 * <p>Contract (checked by {@code SnapshotPortContract} in the testkit):
 *
 * <ul>
 *   <li>A snapshot becomes visible in {@link #list()} only when {@link SnapshotWriter#commit()}
 *       returns, and is then durable: a crash at any earlier point leaves no trace in {@code
 *       list()}.
 *   <li>{@link #open} verifies integrity before returning; damaged or missing data of a listed
 *       snapshot throws a {@code RstmdbException} with code {@code INTERNAL_ERROR} whose message
 *       names what is damaged. {@link #open} or {@link #delete} of an id the store does not list
 *       throws one with code {@code NOT_FOUND}: nothing is damaged.
 *   <li>{@link SnapshotWriter#write} keeps a copy of the item (the caller may change it after);
 *       {@code write} or {@code commit} after {@code commit} or {@code close} throws {@code
 *       IllegalStateException}.
 *   <li>All methods are thread-safe and may block on I/O; the engine never calls them under its
 *       sequencer lock, so they never hold up writers.
 * </ul>
 *
 * <p>Example:
 *
 * <pre>{@code
 * try (SnapshotPort.SnapshotWriter w = store.begin(SnapshotKind.STATE, walOffset, now)) {
 *   items.forEach(w::write);
 *   SnapshotInfo info = w.commit();
 * }
 * }</pre>
 */
public interface SnapshotPort extends AutoCloseable {

  /**
   * Starts writing a snapshot.
   *
   * @param kind what it will hold
   * @param walOffset it covers the WAL records strictly below this offset
   * @param createdAt Unix milliseconds to record
   */
  SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt);

  /** Committed snapshots, newest first (by commit order). */
  List<SnapshotInfo> list();

  /** Opens a committed snapshot after verifying it. */
  SnapshotReader open(String snapshotId);

  /** Removes a snapshot; unknown ids are ignored. */
  void delete(String snapshotId);

  @Override
  void close();

  /** Writes the items of one snapshot; closing without commit discards it. */
  interface SnapshotWriter extends AutoCloseable {
    void write(JsonNode item);

    /** Makes the snapshot durable and visible. */
    SnapshotInfo commit();

    @Override
    void close();
  }

  /** Reads the items of one snapshot in the order they were written. */
  interface SnapshotReader extends AutoCloseable {
    SnapshotInfo info();

    /** The next item, or {@code null} at the end. */
    JsonNode next();

    @Override
    void close();
  }
}
