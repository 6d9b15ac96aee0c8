package io.rstmdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(env);
    if (yaml != null) {
      Path file = dir.resolve("config.yaml");
      Files.writeString(file, yaml);
      all.put("RSTMDB_CONFIG", file.toString());
    }
    return new ConfigLoader(all).load();
  }

  @Test
  void defaultsMatchTheSpecAndOurDecisions() throws IOException {
    ServerConfig c = load(null, Map.of());
    assertThat(c.network().bindAddr()).isEqualTo("127.0.0.1:7401");
    assertThat(c.network().idleTimeoutSecs()).isEqualTo(300);
    assertThat(c.network().maxConnections()).isEqualTo(1000);
    assertThat(c.network().maxSubscriptionsPerConnection()).isEqualTo(64);
    assertThat(c.storage().dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.storage().walSegmentSizeMb()).isEqualTo(64);
    assertThat(c.storage().fsyncPolicy()).isEqualTo("every_write");
    assertThat(c.storage().allowInstanceRecreate()).isFalse();
    assertThat(c.storage().allowFlushAll()).isFalse();
    assertThat(c.storage().idempotencyRetentionSecs()).isEqualTo(86_400);
    assertThat(c.compaction()).isEqualTo(new CompactionConfig(true, 10_000, 100, 60));
    assertThat(c.auth().required()).isFalse();
    assertThat(c.tls().enabled()).isFalse();
    assertThat(c.metrics()).isEqualTo(new MetricsConfig(false, "127.0.0.1:9090"));
  }

  @Test
  void readsEveryKeyFromYaml() throws IOException {
    String yaml =
        """
        network:
          bind_addr: "0.0.0.0:7402"
          idle_timeout_secs: 30
          max_connections: 5
          handshake_timeout_secs: 3
          max_subscriptions_per_connection: 7
        storage:
          data_dir: /var/lib/rstmdb
          wal_segment_size_mb: 128
          fsync_policy: {every_ms: 100}
          max_machine_versions: 3
          allow_instance_recreate: true
          allow_flush_all: true
          idempotency_retention_secs: 60
        compaction:
          enabled: false
          events_threshold: 50000
          size_threshold_mb: 500
          min_interval_secs: 300
        auth:
          required: true
          token_hashes: ["aa", "bb"]
          secrets_file: /etc/rstmdb/tokens
        tls:
          enabled: true
          cert_path: /c.pem
          key_path: /k.pem
          require_client_cert: true
          client_ca_path: /ca.pem
        metrics:
          enabled: true
          bind_addr: "0.0.0.0:9091"
        logging:
          level: debug
        """;
    ServerConfig c = load(yaml, Map.of());
    assertThat(c.network()).isEqualTo(new NetworkConfig("0.0.0.0:7402", 30, 5, 3, 7));
    assertThat(c.storage())
        .isEqualTo(
            new StorageConfig(Path.of("/var/lib/rstmdb"), 128, "every_ms:100", 3, true, true, 60));
    assertThat(c.compaction()).isEqualTo(new CompactionConfig(false, 50_000, 500, 300));
    assertThat(c.auth())
        .isEqualTo(new AuthConfig(true, List.of("aa", "bb"), Path.of("/etc/rstmdb/tokens")));
    assertThat(c.tls())
        .isEqualTo(
            new TlsConfig(true, Path.of("/c.pem"), Path.of("/k.pem"), true, Path.of("/ca.pem")));
    assertThat(c.metrics()).isEqualTo(new MetricsConfig(true, "0.0.0.0:9091"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "every_write|every_write",
        "EveryWrite|every_write",
        "never|never",
        "'every_n:10'|every_n:10",
        "'{every_n: 100}'|every_n:100",
        "!every_n 100|every_n:100",
        "!every_ms 5|every_ms:5",
      })
  void fsyncPolicyAcceptsEverySyntax(String yamlValue, String expected) throws IOException {
    ServerConfig c = load("storage:\n  fsync_policy: " + yamlValue + "\n", Map.of());
    assertThat(c.storage().fsyncPolicy()).isEqualTo(expected);
  }

  @Test
  void nestedMapFormOfFsyncPolicyIsAccepted() throws IOException {
    ServerConfig c = load("storage:\n  fsync_policy:\n    every_ms: 250\n", Map.of());
    assertThat(c.storage().fsyncPolicy()).isEqualTo("every_ms:250");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'network:\n  idle_timeout_secs: abc\n'|network.idle_timeout_secs",
        "'network:\n  max_connections: -1\n'|network.max_connections",
        "'network:\n  max_connections: 0\n'|network.max_connections",
        "'network:\n  bind_addr: nonsense\n'|network.bind_addr",
        "'storage:\n  fsync_policy: sometimes\n'|storage.fsync_policy",
        "'storage:\n  fsync_policy: {every_n: 0}\n'|storage.fsync_policy",
        "'storage:\n  allow_flush_all: maybe\n'|storage.allow_flush_all",
        "'storage:\n  wal_segment_size_mb: 0\n'|storage.wal_segment_size_mb",
        "'storage:\n  wal_segment_size_mb: 1025\n'|storage.wal_segment_size_mb",
        // Beyond these the seconds or megabytes overflow as nanoseconds or bytes.
        "'compaction:\n  size_threshold_mb: 8796093022208\n'|compaction.size_threshold_mb",
        "'compaction:\n  min_interval_secs: 9223372036854775807\n'|compaction.min_interval_secs",
        "'storage:\n  idempotency_retention_secs: 9223372036854775807\n'"
            + "|storage.idempotency_retention_secs",
        "'network:\n  idle_timeout_secs: 3153600001\n'|network.idle_timeout_secs",
        "'auth:\n  token_hashes: abc\n'|auth.token_hashes",
        "'tls:\n  enabled: true\n'|tls.cert_path",
        "'tls:\n  enabled: true\n  cert_path: /c\n'|tls.key_path",
        "'tls:\n  enabled: true\n  cert_path: /c\n  key_path: /k\n  require_client_cert: true\n'"
            + "|tls.client_ca_path",
        "'network: 5\n'|network",
        "'metrics:\n  enabled: true\n  bind_addr: x\n'|metrics.bind_addr",
      })
  void badValuesFailWithOneLineNamingTheKey(String yaml, String key) {
    assertThatThrownBy(() -> load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              assertThat(((ConfigException) e).key()).isEqualTo(key);
              assertThat(e.getMessage()).startsWith("invalid configuration: " + key + ": ");
              assertThat(e.getMessage()).doesNotContain("\n");
            });
  }

  @Test
  void aKeyTwiceASecondDocumentOrANonMappingIsAnError() {
    // Pasting a block of alternatives used to start the server on the last one, silently.
    assertThatThrownBy(
            () ->
                load(
                    "storage:\n  fsync_policy: every_write\n  fsync_policy: every_n:50\n",
                    Map.of()))
        .hasMessage(
            "invalid configuration: RSTMDB_CONFIG: not valid YAML: key `fsync_policy` appears"
                + " twice (line 3)");
    assertThatThrownBy(() -> load("network: {}\n---\nstorage: {}\n", Map.of()))
        .hasMessageContaining("a second YAML document");
    for (String notAMapping : new String[] {"- a\n", "just text\n"}) {
      assertThatThrownBy(() -> load(notAMapping, Map.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("must be a mapping");
    }
  }

  @Test
  void brokenYamlAndMissingFileNameTheConfigVariable() throws IOException {
    assertThatThrownBy(() -> load("network: [unclosed\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: RSTMDB_CONFIG: not valid YAML")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(
            () -> load(null, Map.of("RSTMDB_CONFIG", dir.resolve("nope.yaml").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RSTMDB_CONFIG")
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void environmentWinsOverTheFile() throws IOException {
    String yaml =
        "network:\n  bind_addr: 0.0.0.0:1\nstorage:\n  data_dir: /a\nauth:\n  token_hashes: [aa]\n";
    Map<String, String> env = new HashMap<>();
    env.put("RSTMDB_BIND", "127.0.0.1:7777");
    env.put("RSTMDB_DATA", "/b");
    env.put("RSTMDB_IDLE_TIMEOUT", "9");
    env.put("RSTMDB_MAX_CONNECTIONS", "12");
    env.put("RSTMDB_WAL_SEGMENT_SIZE_MB", "8");
    env.put("RSTMDB_FSYNC_POLICY", "EVERY_N:7");
    env.put("RSTMDB_MAX_MACHINE_VERSIONS", "2");
    env.put("RSTMDB_ALLOW_INSTANCE_RECREATE", "1");
    env.put("RSTMDB_ALLOW_FLUSH_ALL", "true");
    env.put("RSTMDB_COMPACT_ENABLED", "false");
    env.put("RSTMDB_COMPACT_EVENTS", "11");
    env.put("RSTMDB_COMPACT_SIZE_MB", "12");
    env.put("RSTMDB_COMPACT_INTERVAL", "13");
    env.put("RSTMDB_AUTH_REQUIRED", "TRUE");
    env.put("RSTMDB_AUTH_TOKEN_HASH", "bb");
    env.put("RSTMDB_AUTH_SECRETS_FILE", "/s");
    env.put("RSTMDB_TLS_ENABLED", "1");
    env.put("RSTMDB_TLS_CERT", "/c");
    env.put("RSTMDB_TLS_KEY", "/k");
    env.put("RSTMDB_TLS_REQUIRE_CLIENT_CERT", "1");
    env.put("RSTMDB_TLS_CLIENT_CA", "/ca");
    env.put("RSTMDB_METRICS_ENABLED", "1");
    env.put("RSTMDB_METRICS_BIND", "127.0.0.1:0");
    ServerConfig c = load(yaml, env);
    assertThat(c.network().bindAddr()).isEqualTo("127.0.0.1:7777");
    assertThat(c.network().idleTimeoutSecs()).isEqualTo(9);
    assertThat(c.network().maxConnections()).isEqualTo(12);
    assertThat(c.storage())
        .isEqualTo(new StorageConfig(Path.of("/b"), 8, "every_n:7", 2, true, true, 86_400));
    assertThat(c.compaction()).isEqualTo(new CompactionConfig(false, 11, 12, 13));
    assertThat(c.auth()).isEqualTo(new AuthConfig(true, List.of("aa", "bb"), Path.of("/s")));
    assertThat(c.tls())
        .isEqualTo(new TlsConfig(true, Path.of("/c"), Path.of("/k"), true, Path.of("/ca")));
    assertThat(c.metrics()).isEqualTo(new MetricsConfig(true, "127.0.0.1:0"));
  }

  @ParameterizedTest
  @CsvSource({
    "RSTMDB_IDLE_TIMEOUT, abc",
    "RSTMDB_MAX_CONNECTIONS, 1.5",
    "RSTMDB_BIND, localhost",
    "RSTMDB_FSYNC_POLICY, every_n:x",
    "RSTMDB_AUTH_REQUIRED, perhaps",
    "RSTMDB_COMPACT_EVENTS, -3",
    "RSTMDB_COMPACT_SIZE_MB, 8796093022208",
    "RSTMDB_COMPACT_INTERVAL, 9223372036854775807",
    "RSTMDB_IDEMPOTENCY_RETENTION, 9223372036854775807",
    "RSTMDB_HANDSHAKE_TIMEOUT, 3153600001",
  })
  void unparsableEnvironmentValuesNameTheVariable(String variable, String value) {
    assertThatThrownBy(() -> load(null, Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: " + variable + ": ");
  }

  @Test
  void theLargestAcceptedValuesStillLoad() throws IOException {
    ServerConfig c =
        load(
            null,
            Map.of(
                "RSTMDB_COMPACT_SIZE_MB", "8796093022207",
                "RSTMDB_COMPACT_INTERVAL", "3153600000",
                "RSTMDB_IDEMPOTENCY_RETENTION", "3153600000"));
    assertThat(c.compaction().sizeThresholdMb()).isEqualTo(8_796_093_022_207L);
  }

  @Test
  void aNegativeNumberSaysSoWithoutABogusRange() {
    assertThatThrownBy(() -> load(null, Map.of("RSTMDB_WAL_SEGMENT_SIZE_MB", "-5")))
        .hasMessage(
            "invalid configuration: RSTMDB_WAL_SEGMENT_SIZE_MB: must not be negative, got -5");
  }

  @Test
  void hostPortParsesNamesAndBracketedIpv6() {
    assertThat(Endpoint.parse("localhost:7401")).isEqualTo(new Endpoint("localhost", 7401));
    assertThat(Endpoint.parse("[::1]:0")).isEqualTo(new Endpoint("::1", 0));
    assertThatThrownBy(() -> Endpoint.parse("::1:80")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.parse("h:70000"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withHelpersChangeOneThing() {
    ServerConfig c = ServerConfig.defaults().withDataDir(Path.of("/x")).withBind("127.0.0.1:0");
    assertThat(c.storage().dataDir()).isEqualTo(Path.of("/x"));
    assertThat(c.network().bindAddr()).isEqualTo("127.0.0.1:0");
    assertThat(c.storage().walDir()).isEqualTo(Path.of("/x/wal"));
    assertThatThrownBy(() -> c.withBind("nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
