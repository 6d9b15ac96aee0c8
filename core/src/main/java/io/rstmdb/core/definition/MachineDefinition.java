package io.rstmdb.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.guard.Guard;
import io.rstmdb.core.json.CanonicalJson;
import io.rstmdb.core.json.LoneSurrogates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated machine definition (state-machines.md §1–3): states, initial state, transitions with
 * compiled guards, optional free-form meta, its normalized JSON form and SHA-256 checksum.
 *
 * <p>Immutable and thread-safe. Several transitions may share a {@code (from, event)} pair; {@link
 * #route} tries them in definition order (decision 4).
 */
public final class MachineDefinition {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final List<String> states;
  private final Set<String> stateSet;
  private final String initial;
  private final List<Transition> transitions;
  private final JsonNode meta;
  private final Map<String, Map<String, List<Transition>>> candidatesByStateAndEvent;
  private final ObjectNode normalized;
  private final String normalizedJson;
  private final String checksum;

  private MachineDefinition(
      List<String> states, String initial, List<Transition> transitions, JsonNode meta) {
    this.states = states;
    this.stateSet = Set.copyOf(states);
    this.initial = initial;
    this.transitions = transitions;
    this.meta = meta;
    this.candidatesByStateAndEvent = index(transitions);
    this.normalized = buildNormalized();
    this.normalizedJson = NormalizedJson.write(states, initial, transitions, meta);
    this.checksum = Hashing.sha256().hashString(normalizedJson, StandardCharsets.UTF_8).toString();
  }

  /**
   * Validates a definition in the documented order (shape; initial ∈ states; then per transition:
   * target, guard, sources) and compiles it. Unknown keys are dropped.
   *
   * @throws RstmdbException BAD_REQUEST {@code invalid machine definition: <reason>} on the first
   *     failure
   */
  public static MachineDefinition parse(JsonNode definition) {
    if (definition != null && LoneSurrogates.in(definition)) {
      // Stored as '?', a state, event or guard literal would differ from what was sent, and the
      // checksum would be computed over the '?' (a different definition hashing the same).
      throw InvalidDefinition.because("a string holds a lone UTF-16 surrogate");
    }
    DefinitionShape shape = DefinitionShape.read(definition);
    Set<String> known = Set.copyOf(shape.states());
    if (!known.contains(shape.initial())) {
      throw InvalidDefinition.because("initial state '" + shape.initial() + "' not in states list");
    }
    List<Transition> transitions = new ArrayList<>(shape.transitions().size());
    for (int i = 0; i < shape.transitions().size(); i++) {
      DefinitionShape.RawTransition raw = shape.transitions().get(i);
      if (!known.contains(raw.to())) {
        throw InvalidDefinition.because("transition target '" + raw.to() + "' not in states list");
      }
      Guard guard = raw.guardText() == null ? null : compileGuard(raw.guardText(), i);
      for (String source : raw.from()) {
        if (!known.contains(source)) {
          throw InvalidDefinition.because("transition source '" + source + "' not in states list");
        }
      }
      transitions.add(new Transition(raw.from(), raw.event(), raw.to(), guard));
    }
    JsonNode meta = shape.meta() == null ? null : sortedCopy(shape.meta());
    return new MachineDefinition(shape.states(), shape.initial(), List.copyOf(transitions), meta);
  }

  private static Guard compileGuard(String text, int index) {
    try {
      return Guard.compile(text);
    } catch (RstmdbException e) {
      throw InvalidDefinition.because("transitions[" + index + "]: " + e.getMessage(), e);
    }
  }

  /** State names as given, in order, duplicates included. */
  public List<String> states() {
    return states;
  }

  public boolean hasState(String state) {
    return stateSet.contains(state);
  }

  public String initial() {
    return initial;
  }

  /** All transitions in definition order. */
  public List<Transition> transitions() {
    return transitions;
  }

  /**
   * Transitions that can fire for {@code event} in {@code state}, in definition order; empty when
   * there are none. Each transition appears once even if its {@code from} repeats the state.
   */
  public List<Transition> candidates(String state, String event) {
    Map<String, List<Transition>> byEvent = candidatesByStateAndEvent.get(state);
    if (byEvent == null) {
      return List.of();
    }
    return byEvent.getOrDefault(event, List.of());
  }

  /**
   * Picks the transition for {@code event} in {@code state} given the instance's pre-merge context:
   * the first candidate whose guard holds (or that has none).
   */
  public Route route(String state, String event, JsonNode ctx) {
    List<Transition> candidates = candidates(state, event);
    if (candidates.isEmpty()) {
      return new Route.NoTransition();
    }
    for (Transition candidate : candidates) {
      if (candidate.allows(ctx)) {
        return new Route.Go(candidate);
      }
    }
    return new Route.GuardFailed(candidates.get(0));
  }

  /**
   * The normalized form (§3.1) as a fresh tree: keys {@code states, initial, transitions, meta}; in
   * a transition {@code from} (always an array), {@code event, to, guard}; guard and meta omitted
   * when absent; meta keys sorted recursively.
   */
  public ObjectNode normalized() {
    return normalized.deepCopy();
  }

  /** The compact, byte-exact normalized JSON the checksum is computed over. */
  public String normalizedJson() {
    return normalizedJson;
  }

  /** Lowercase hex SHA-256 of the UTF-8 bytes of {@link #normalizedJson()} (decision 2). */
  public String checksum() {
    return checksum;
  }

  /** Definitions are equal when their normalized forms are byte-identical. */
  @Override
  public boolean equals(Object o) {
    return o instanceof MachineDefinition other && normalizedJson.equals(other.normalizedJson);
  }

  @Override
  public int hashCode() {
    return normalizedJson.hashCode();
  }

  @Override
  public String toString() {
    return normalizedJson;
  }

  private ObjectNode buildNormalized() {
    ObjectNode root = NODES.objectNode();
    ArrayNode stateArray = root.putArray("states");
    states.forEach(stateArray::add);
    root.put("initial", initial);
    ArrayNode transitionArray = root.putArray("transitions");
    for (Transition t : transitions) {
      ObjectNode node = transitionArray.addObject();
      ArrayNode from = node.putArray("from");
      t.from().forEach(from::add);
      node.put("event", t.event());
      node.put("to", t.to());
      if (t.guard() != null) {
        node.put("guard", t.guard().text());
      }
    }
    if (meta != null) {
      root.set("meta", meta.deepCopy());
    }
    return root;
  }

  private static Map<String, Map<String, List<Transition>>> index(List<Transition> transitions) {
    Map<String, Map<String, List<Transition>>> index = new HashMap<>();
    for (Transition t : transitions) {
      for (String source : new LinkedHashSet<>(t.from())) {
        index
            .computeIfAbsent(source, s -> new HashMap<>())
            .computeIfAbsent(t.event(), e -> new ArrayList<>())
            .add(t);
      }
    }
    Map<String, Map<String, List<Transition>>> frozen = new HashMap<>();
    index.forEach(
        (state, byEvent) -> {
          Map<String, List<Transition>> frozenByEvent = new HashMap<>();
          byEvent.forEach((event, list) -> frozenByEvent.put(event, List.copyOf(list)));
          frozen.put(state, Map.copyOf(frozenByEvent));
        });
    return Map.copyOf(frozen);
  }

  /** A deep copy whose objects list their keys in code-point order (the normalized meta). */
  private static JsonNode sortedCopy(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = NODES.objectNode();
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      keys.sort(CanonicalJson.codePointOrder());
      for (String key : keys) {
        sorted.set(key, sortedCopy(node.get(key)));
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = NODES.arrayNode(node.size());
      node.forEach(element -> array.add(sortedCopy(element)));
      return array;
    }
    return node.deepCopy();
  }
}
