package io.rstmdb.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.json.PackedJson;
import java.util.Objects;

/**
 * A live instance as readers see it.
 *
 * <p>The ctx is given either as a tree ({@code ctx}) or packed ({@code packedCtx}, how the engine
 * holds it): {@link #ctx()} answers the tree in both cases, unpacking a packed ctx on each call,
 * and {@link #ctxJson()} gives a packed ctx's JSON bytes to callers that only copy it (a
 * GET_INSTANCE response). Equality compares the ctx as a tree, however it was given.
 *
 * @param ctx {@code null} when the ctx is given packed
 * @param lastEventId {@code null} when unset
 * @param packedCtx {@code null} unless the ctx is given packed
 */
public record InstanceView(
    String id,
    String machine,
    long version,
    String state,
    JsonNode ctx,
    String lastEventId,
    long lastWalOffset,
    long createdAt,
    long updatedAt,
    PackedJson packedCtx) {

  public InstanceView {
    if (ctx != null && packedCtx != null) {
      throw new IllegalArgumentException("give the ctx as a tree or packed, not both");
    }
  }

  /** A view with its ctx as a tree. */
  public InstanceView(
      String id,
      String machine,
      long version,
      String state,
      JsonNode ctx,
      String lastEventId,
      long lastWalOffset,
      long createdAt,
      long updatedAt) {
    this(id, machine, version, state, ctx, lastEventId, lastWalOffset, createdAt, updatedAt, null);
  }

  /**
   * The ctx as a tree ({@code null} when the view has none). A packed ctx is unpacked into a new
   * tree on every call; a tree given to the constructor is returned as it is.
   */
  @Override
  public JsonNode ctx() {
    return ctx != null ? ctx : packedCtx == null ? null : packedCtx.tree();
  }

  /**
   * The ctx's compact JSON bytes (keys in insertion order, as the WAL spells them) when it is held
   * packed as bytes, otherwise {@code null} (then use {@link #ctx()}). Never modify the array.
   */
  public byte[] ctxJson() {
    return packedCtx == null ? null : packedCtx.jsonOrNull();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceView v
        && version == v.version
        && lastWalOffset == v.lastWalOffset
        && createdAt == v.createdAt
        && updatedAt == v.updatedAt
        && Objects.equals(id, v.id)
        && Objects.equals(machine, v.machine)
        && Objects.equals(state, v.state)
        && Objects.equals(lastEventId, v.lastEventId)
        && Objects.equals(ctx(), v.ctx());
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id, machine, version, state, ctx(), lastEventId, lastWalOffset, createdAt, updatedAt);
  }

  @Override
  public String toString() {
    return "InstanceView[id="
        + id
        + ", machine="
        + machine
        + ", version="
        + version
        + ", state="
        + state
        + ", ctx="
        + ctx()
        + ", lastEventId="
        + lastEventId
        + ", lastWalOffset="
        + lastWalOffset
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + "]";
  }
}
