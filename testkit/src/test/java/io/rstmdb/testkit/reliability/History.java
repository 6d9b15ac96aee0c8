package io.rstmdb.testkit.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Every operation any client invoked during a run, in invocation order; thread-safe. */
final class History {
  private final List<Op> ops = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  Op invoke(List<Step> steps) {
    Op op = new Op(ids.incrementAndGet(), steps);
    synchronized (ops) {
      ops.add(op);
    }
    return op;
  }

  List<Op> ops() {
    synchronized (ops) {
      return List.copyOf(ops);
    }
  }

  long count(Outcome.Status status) {
    return ops().stream().filter(o -> o.status() == status).count();
  }
}
