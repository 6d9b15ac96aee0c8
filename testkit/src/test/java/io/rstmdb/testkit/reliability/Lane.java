package io.rstmdb.testkit.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One writer's own instances and what it believes their states are. A lane outlives connections and
 * server restarts, so instances keep moving across crashes; it is used by one thread at a time.
 */
final class Lane {
  private final String name;
  private final Random random;
  private final Map<String, String> live = new LinkedHashMap<>();
  private long counter;

  Lane(String name, long seed) {
    this.name = name;
    this.random = new Random(seed);
  }

  String name() {
    return name;
  }

  Random random() {
    return random;
  }

  String newId(String kind) {
    return name + "-" + kind + (++counter);
  }

  boolean hasLive() {
    return !live.isEmpty();
  }

  String pickLive() {
    List<String> ids = new ArrayList<>(live.keySet());
    return ids.get(random.nextInt(ids.size()));
  }

  String stateOf(String id) {
    return live.get(id);
  }

  void moved(String id, String state) {
    live.put(id, state);
  }

  /** After an indeterminate outcome the state is unknown: the lane never touches it again. */
  void abandon(String id) {
    live.remove(id);
  }
}
