package io.rstmdb.testkit.reliability;

import io.rstmdb.protocol.client.RcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Writer threads, one connection per lane, running until stopped or disconnected. */
final class Load implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final List<RcpClient> clients = new ArrayList<>();

  Load(
      List<Lane> lanes,
      Supplier<RcpClient> connect,
      History history,
      Duration timeout,
      int paddingBytes) {
    for (Lane lane : lanes) {
      RcpClient client = connect.get();
      clients.add(client);
      Thread t =
          new Thread(
              new Writer(lane, client, history, running::get, timeout, paddingBytes),
              "writer-" + lane.name());
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /** Asks the writers to stop after their current request and waits for them. */
  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " did not stop");
      }
    }
    clients.forEach(RcpClient::close);
  }

  static List<Lane> lanes(String prefix, int count, long seed) {
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lanes.add(new Lane(prefix + i, seed * 31 + i));
    }
    return lanes;
  }
}
