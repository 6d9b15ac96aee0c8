package io.rstmdb.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Machine definitions for tests, as the JSON that PUT_MACHINE takes.
 *
 * <pre>{@code
 * JsonNode order = MachineDefinitions.linear("created", "paid", "shipped");
 * // created --NEXT--> paid --NEXT--> shipped
 *
 * JsonNode guarded = MachineDefinitions.builder()
 *     .transition("created", "PAY", "paid")
 *     .transition("paid", "SHIP", "shipped", "ctx.address_ok")
 *     .build();                       // states collected in order of appearance
 * }</pre>
 */
public final class MachineDefinitions {
  /** The event that {@link #linear} uses for every step. */
  public static final String NEXT = "NEXT";

  private MachineDefinitions() {}

  /** States in a line, the first initial, each moving to the next on {@value #NEXT}. */
  public static JsonNode linear(String... states) {
    if (states.length == 0) {
      throw new IllegalArgumentException("a machine needs at least one state");
    }
    Builder builder = builder().states(states);
    for (int i = 0; i + 1 < states.length; i++) {
      builder.transition(states[i], NEXT, states[i + 1]);
    }
    return builder.build();
  }

  /**
   * A two-state machine that can flip forever: {@code a --FLIP--> b --FLOP--> a}. Useful for load
   * and soak tests that keep applying events to the same instances.
   */
  public static JsonNode toggle() {
    return builder().transition("a", "FLIP", "b").transition("b", "FLOP", "a").build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects states and transitions; the first state named is the initial unless set. */
  public static final class Builder {
    private final Set<String> states = new LinkedHashSet<>();
    private final List<ObjectNode> transitions = new ArrayList<>();
    private String initial;
    private JsonNode meta;

    private Builder() {}

    public Builder states(String... names) {
      states.addAll(Arrays.asList(names));
      return this;
    }

    public Builder initial(String state) {
      this.initial = Objects.requireNonNull(state, "state");
      states.add(state);
      return this;
    }

    public Builder transition(String from, String event, String to) {
      return transition(from, event, to, null);
    }

    /** A transition taken only when {@code guard} holds; {@code null} for none. */
    public Builder transition(String from, String event, String to, String guard) {
      states.add(from);
      states.add(to);
      ObjectNode t = JsonNodeFactory.instance.objectNode();
      t.putArray("from").add(from);
      t.put("event", event);
      t.put("to", to);
      if (guard != null) {
        t.put("guard", guard);
      }
      transitions.add(t);
      return this;
    }

    public Builder meta(JsonNode value) {
      this.meta = value;
      return this;
    }

    public ObjectNode build() {
      if (states.isEmpty()) {
        throw new IllegalStateException("a machine needs at least one state");
      }
      ObjectNode definition = JsonNodeFactory.instance.objectNode();
      ArrayNode stateArray = definition.putArray("states");
      states.forEach(stateArray::add);
      definition.put("initial", initial != null ? initial : states.iterator().next());
      ArrayNode transitionArray = definition.putArray("transitions");
      transitions.forEach(transitionArray::add);
      if (meta != null) {
        definition.set("meta", meta);
      }
      return definition;
    }
  }
}
