package io.rstmdb.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the hexagon's rules against the production classes of every module on this classpath
 * (core, wal, snapshot, protocol, server, testkit; the CLI checks itself in its own module).
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    // Sibling modules arrive as jars or class folders; test classes (and the fixtures that break
    // the rules on purpose) are left out.
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rstmdb");
  }

  static Stream<Arguments> rules() {
    return Stream.of(
            HexagonRules.CORE_IS_PURE,
            HexagonRules.CORE_DOES_NO_IO,
            HexagonRules.WAL_IS_AN_ISOLATED_ADAPTER,
            HexagonRules.SNAPSHOT_IS_AN_ISOLATED_ADAPTER,
            HexagonRules.PROTOCOL_AND_CLI_STAY_OUTSIDE,
            HexagonRules.ONLY_DI_TOUCHES_DAGGER,
            HexagonRules.NO_FIELD_INJECTION,
            HexagonRules.NETTY_ONLY_AT_THE_EDGE,
            HexagonRules.NO_MODULE_CYCLES,
            HexagonRules.NO_PACKAGE_CYCLES,
            HexagonRules.PORTS_ARE_INTERFACES_IN_CORE)
        .map(rule -> Arguments.of(rule.getDescription(), rule));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void productionCodeFollowsTheRule(String description, ArchRule rule) {
    // A rule that checks no classes proves nothing: every module must really be here.
    for (String module :
        new String[] {"core", "wal", "snapshot", "protocol", "server", "testkit"}) {
      assertThat(production.containPackage("io.rstmdb." + module))
          .as("classes of module %s imported", module)
          .isTrue();
    }
    rule.check(production);
  }
}
