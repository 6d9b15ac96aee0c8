package io.rstmdb.core.definition;

/**
 * Outcome of routing an event in a state (decision 4): the candidates for {@code (state, event)}
 * are tried in definition order and the first whose guard holds wins.
 */
public sealed interface Route {
  /** The transition to take. */
  record Go(Transition transition) implements Route {}

  /** No transition is defined for the state and event: INVALID_TRANSITION. */
  record NoTransition() implements Route {}

  /**
   * Candidates exist but no guard holds: GUARD_FAILED. {@code firstCandidate} names the transition
   * for the error message.
   */
  record GuardFailed(Transition firstCandidate) implements Route {}
}
