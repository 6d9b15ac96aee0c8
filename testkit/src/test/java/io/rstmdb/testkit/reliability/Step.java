package io.rstmdb.testkit.reliability;

/**
 * One effect an operation asks for: creating an instance or applying one event to it. A single
 * request holds one step; an atomic batch holds several that must land together or not at all.
 *
 * @param kind what the step does
 * @param instanceId the instance it touches
 * @param event the event name of an apply, null for a create
 * @param eventId unique per apply (APPLY_EVENT event_id), null for a create
 * @param idempotencyKey the key sent with it, so a retry can be checked to change nothing
 */
record Step(Kind kind, String instanceId, String event, String eventId, String idempotencyKey) {
  enum Kind {
    CREATE,
    APPLY
  }

  static Step create(String instanceId) {
    return new Step(Kind.CREATE, instanceId, null, null, "create-" + instanceId);
  }

  static Step apply(String instanceId, String event, String eventId) {
    return new Step(Kind.APPLY, instanceId, event, eventId, eventId);
  }
}
