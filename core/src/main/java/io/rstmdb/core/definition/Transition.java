package io.rstmdb.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.guard.Guard;
import java.util.List;
import java.util.Objects;

/**
 * One transition of a machine definition.
 *
 * @param from source states in definition order (a JSON string {@code from} becomes a one-element
 *     list; may be empty, then the transition never fires)
 * @param event the triggering event name, matched exactly
 * @param to the target state
 * @param guard the compiled guard, or {@code null} when the transition is unguarded
 */
public record Transition(List<String> from, String event, String to, Guard guard) {
  public Transition {
    from = List.copyOf(from);
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(to, "to");
  }

  /** Whether this transition may fire for an instance whose (pre-merge) context is {@code ctx}. */
  public boolean allows(JsonNode ctx) {
    return guard == null || guard.test(ctx);
  }
}
