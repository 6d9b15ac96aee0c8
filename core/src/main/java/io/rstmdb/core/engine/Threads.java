package io.rstmdb.core.engine;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so a thread dump says which engine thread is which. */
final class Threads {
  private Threads() {}

  static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.getAndIncrement();
      Thread t = new Thread(runnable, n == 0 ? name : name + "-" + n);
      t.setDaemon(true);
      return t;
    };
  }
}
