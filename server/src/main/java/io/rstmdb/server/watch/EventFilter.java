package io.rstmdb.server.watch;

import io.rstmdb.core.api.AppliedEvent;
import java.util.Collection;
import java.util.Set;

/** Decides which transitions a subscription receives. */
sealed interface EventFilter {

  boolean matches(AppliedEvent event);

  /** Every transition of one instance. */
  record Instance(String instanceId) implements EventFilter {
    @Override
    public boolean matches(AppliedEvent event) {
      return instanceId.equals(event.instanceId());
    }
  }

  /**
   * WATCH_ALL filters (operations.md §12): AND across kinds, OR within a list, an empty list lets
   * everything through. Exact string comparison.
   */
  record All(Set<String> machines, Set<String> fromStates, Set<String> toStates, Set<String> events)
      implements EventFilter {

    public All {
      machines = Set.copyOf(machines);
      fromStates = Set.copyOf(fromStates);
      toStates = Set.copyOf(toStates);
      events = Set.copyOf(events);
    }

    static All of(
        Collection<String> machines,
        Collection<String> fromStates,
        Collection<String> toStates,
        Collection<String> events) {
      return new All(
          Set.copyOf(machines), Set.copyOf(fromStates), Set.copyOf(toStates), Set.copyOf(events));
    }

    @Override
    public boolean matches(AppliedEvent event) {
      return passes(machines, event.machine())
          && passes(fromStates, event.fromState())
          && passes(toStates, event.toState())
          && passes(events, event.event());
    }

    private static boolean passes(Set<String> allowed, String value) {
      return allowed.isEmpty() || (value != null && allowed.contains(value));
    }
  }
}
