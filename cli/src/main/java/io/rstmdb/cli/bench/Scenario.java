package io.rstmdb.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.connect.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** The load shapes {@code rstmdb-cli bench} can generate. */
public enum Scenario {
  /** APPLY_EVENT round-robin over the connection's own instances. */
  APPLY,
  /** CREATE_INSTANCE with server-generated ids. */
  CREATE,
  /** GET_INSTANCE round-robin over the connection's own instances. */
  GET,
  /** 50% GET_INSTANCE, 40% APPLY_EVENT, 10% CREATE_INSTANCE. */
  MIXED,
  /** WAL_READ of 10 records from random offsets. */
  WALREAD,
  /** PING: measures the server's and the tool's floor. */
  PING;

  public static Scenario parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  Workload workload(Settings settings, int connectionIndex) {
    return new Mixed(this, settings, connectionIndex);
  }

  /** What every workload of a run shares. */
  record Settings(ObjectMapper mapper, String runId, int instances, int payloadBytes) {}

  /** One class for all shapes: the scenario only changes the mix, the setup is common. */
  private static final class Mixed implements Workload {
    private final Scenario scenario;
    private final Settings settings;
    private final int connectionIndex;
    private final SplittableRandom random;
    private final List<BenchRequest> applies = new ArrayList<>();
    private final List<BenchRequest> gets = new ArrayList<>();
    private BenchRequest create;
    private BenchRequest ping;
    private long walHead;
    private int next;

    Mixed(Scenario scenario, Settings settings, int connectionIndex) {
      this.scenario = scenario;
      this.settings = settings;
      this.connectionIndex = connectionIndex;
      this.random = new SplittableRandom(31L * connectionIndex + settings.runId().hashCode());
    }

    @Override
    public void setup(Connection connection) {
      ObjectMapper m = settings.mapper();
      ObjectNode payload = BenchMachine.payload(m, settings.payloadBytes());
      ObjectNode createParams =
          m.createObjectNode()
              .put("machine", BenchMachine.NAME)
              .put("version", BenchMachine.VERSION);
      createParams.set("initial_ctx", payload);
      create = new BenchRequest("CREATE_INSTANCE", createParams);
      ping = new BenchRequest("PING", null);
      if (scenario == APPLY || scenario == GET || scenario == MIXED) {
        for (int i = 0; i < settings.instances(); i++) {
          String id = "bench-" + settings.runId() + "-" + connectionIndex + "-" + i;
          ObjectNode p = createParams.deepCopy().put("instance_id", id);
          await(connection, "CREATE_INSTANCE", p);
          ObjectNode apply =
              m.createObjectNode().put("instance_id", id).put("event", BenchMachine.EVENT);
          apply.set("payload", payload);
          applies.add(new BenchRequest("APPLY_EVENT", apply));
          gets.add(new BenchRequest("GET_INSTANCE", m.createObjectNode().put("instance_id", id)));
        }
      }
      if (scenario == WALREAD) {
        JsonNode stats = await(connection, "WAL_STATS", null);
        walHead = Math.max(1, stats.path("latest_offset").asLong(0) + 1);
      }
    }

    private static JsonNode await(Connection connection, String op, JsonNode params) {
      try {
        return connection.call(op, params).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("bench setup " + op + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public BenchRequest next() {
      switch (scenario) {
        case APPLY:
          return roundRobin(applies);
        case GET:
          return roundRobin(gets);
        case CREATE:
          return create;
        case PING:
          return ping;
        case WALREAD:
          return new BenchRequest(
              "WAL_READ",
              settings
                  .mapper()
                  .createObjectNode()
                  .put("from_offset", random.nextLong(walHead))
                  .put("limit", 10));
        case MIXED:
        default:
          int dice = random.nextInt(10);
          if (dice < 5) {
            return roundRobin(gets);
          }
          return dice < 9 ? roundRobin(applies) : create;
      }
    }

    private BenchRequest roundRobin(List<BenchRequest> requests) {
      BenchRequest r = requests.get(next);
      next = next + 1 == requests.size() ? 0 : next + 1;
      return r;
    }
  }
}
