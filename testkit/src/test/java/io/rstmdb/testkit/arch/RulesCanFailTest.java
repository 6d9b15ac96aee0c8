package io.rstmdb.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.rstmdb.alpha.archfixture.Alpha;
import io.rstmdb.beta.archfixture.Beta;
import io.rstmdb.core.archfixture.CoreReadsFiles;
import io.rstmdb.core.archfixture.CoreUsesDagger;
import io.rstmdb.core.archfixture.CoreUsesNetty;
import io.rstmdb.core.archfixture.FieldInjected;
import io.rstmdb.core.archfixture.cyc1.First;
import io.rstmdb.core.archfixture.cyc2.Second;
import io.rstmdb.protocol.archfixture.ProtocolUsesCore;
import io.rstmdb.snapshot.archfixture.SnapshotThing;
import io.rstmdb.wal.archfixture.NotReallyPort;
import io.rstmdb.wal.archfixture.WalUsesSnapshot;
import io.rstmdb.wal.archfixture.WalUsesTestkit;
import org.junit.jupiter.api.Test;

/**
 * Each rule evaluated against classes written to break it: if a rule could not fail, these tests
 * would.
 */
class RulesCanFailTest {

  private static JavaClasses fixtures(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  private static void assertViolated(ArchRule rule, Class<?>... classes) {
    assertThat(rule.evaluate(fixtures(classes)).hasViolation())
        .as("rule '%s' must report the fixture", rule.getDescription())
        .isTrue();
  }

  @Test
  void rule1CoreUsingNettyOrFilesIsReported() {
    assertViolated(HexagonRules.CORE_IS_PURE, CoreUsesNetty.class);
    assertViolated(HexagonRules.CORE_DOES_NO_IO, CoreReadsFiles.class);
  }

  @Test
  void rule2AdapterUsingAnotherAdapterIsReported() {
    assertViolated(
        HexagonRules.WAL_IS_AN_ISOLATED_ADAPTER, WalUsesSnapshot.class, SnapshotThing.class);
  }

  @Test
  void rule3ProtocolUsingCoreIsReported() {
    assertViolated(HexagonRules.PROTOCOL_AND_CLI_STAY_OUTSIDE, ProtocolUsesCore.class);
  }

  @Test
  void rule4DaggerOutsideDiAndFieldInjectionAreReported() {
    assertViolated(HexagonRules.ONLY_DI_TOUCHES_DAGGER, CoreUsesDagger.class);
    assertViolated(HexagonRules.NO_FIELD_INJECTION, FieldInjected.class);
  }

  @Test
  void rule5NettyOutsideTheEdgeIsReported() {
    assertViolated(HexagonRules.NETTY_ONLY_AT_THE_EDGE, CoreUsesNetty.class);
  }

  @Test
  void rule6CyclesAndMisplacedPortsAreReported() {
    assertViolated(HexagonRules.NO_MODULE_CYCLES, Alpha.class, Beta.class);
    assertViolated(HexagonRules.NO_PACKAGE_CYCLES, First.class, Second.class);
    assertViolated(HexagonRules.PORTS_ARE_INTERFACES_IN_CORE, NotReallyPort.class);
  }

  @Test
  void adapterRulesRejectAnAdapterThatUsesAnother() {
    JavaClasses classes = fixtures(WalUsesSnapshot.class, SnapshotThing.class);
    assertThatThrownBy(() -> AdapterRules.check("io.rstmdb.wal..", classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("WalUsesSnapshot");
  }

  @Test
  void adapterRulesRejectProductionCodeBuiltOnTheTestKit() {
    // The kit brings the server, Netty and JUnit with it; an adapter must not ship on top of it.
    JavaClasses classes = fixtures(WalUsesTestkit.class);
    assertThatThrownBy(() -> AdapterRules.check("io.rstmdb.wal..", classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("WalUsesTestkit");
  }

  @Test
  void adapterRulesAcceptTheRealAdapters() {
    AdapterRules.check("io.rstmdb.wal");
    AdapterRules.check("io.rstmdb.snapshot");
  }

  @Test
  void adapterRulesRefuseAPackageWithNoClasses() {
    assertThatThrownBy(() -> AdapterRules.check("io.rstmdb.no_such_adapter"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no classes found");
  }
}
