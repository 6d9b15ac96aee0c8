package io.rstmdb.testkit.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history folded into what the database must hold. The workload uses the toggle machine ({@code
 * a --FLIP--> b --FLOP--> a}) and each instance belongs to one writer that has at most one request
 * in flight for it and abandons it after an indeterminate outcome, so an instance's line is: a
 * create, then applies whose outcomes are ok or failed, then at most one indeterminate apply.
 */
final class Model {
  static final String MACHINE = "toggle";
  static final String INITIAL = "a";

  /** Step {@code index} of {@code op}. */
  record StepRef(Op op, int index) {
    Step step() {
      return op.steps().get(index);
    }

    Outcome.Status status() {
      return op.status();
    }

    long offset() {
      return op.offsetOf(index);
    }
  }

  /** Everything the history asked of one instance. */
  static final class Line {
    private StepRef create;
    private final List<StepRef> applies = new ArrayList<>();

    StepRef create() {
      return create;
    }

    List<StepRef> applies() {
      return Collections.unmodifiableList(applies);
    }

    List<StepRef> acked() {
      return applies.stream().filter(a -> a.status() == Outcome.Status.OK).toList();
    }

    StepRef indeterminate() {
      return applies.stream()
          .filter(a -> a.status() == Outcome.Status.INDETERMINATE)
          .findFirst()
          .orElse(null);
    }
  }

  private final Map<String, Line> lines;
  private final List<Op> batches;

  private Model(Map<String, Line> lines, List<Op> batches) {
    this.lines = lines;
    this.batches = batches;
  }

  static Model fold(History history) {
    Map<String, Line> lines = new TreeMap<>();
    List<Op> batches = new ArrayList<>();
    for (Op op : history.ops()) {
      if (op.atomicBatch()) {
        batches.add(op);
      }
      for (int i = 0; i < op.steps().size(); i++) {
        Step step = op.steps().get(i);
        Line line = lines.computeIfAbsent(step.instanceId(), k -> new Line());
        if (step.kind() == Step.Kind.CREATE) {
          line.create = new StepRef(op, i);
        } else {
          line.applies.add(new StepRef(op, i));
        }
      }
    }
    return new Model(lines, batches);
  }

  Map<String, Line> lines() {
    return Collections.unmodifiableMap(lines);
  }

  List<Op> batches() {
    return Collections.unmodifiableList(batches);
  }

  /** The toggle machine's state after {@code applies} events from the initial state. */
  static String stateAfter(int applies) {
    return applies % 2 == 0 ? INITIAL : "b";
  }

  /** The event that moves the toggle machine on from {@code state}. */
  static String eventFrom(String state) {
    return INITIAL.equals(state) ? "FLIP" : "FLOP";
  }
}
