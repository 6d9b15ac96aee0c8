package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.rstmdb.testkit.arch.HexagonRules;
import org.junit.jupiter.api.Test;

/**
 * The CLI's share of the hexagon's rules. It lives here because only this module has the CLI's
 * classes on its classpath (the testkit, which checks every other module, cannot depend on it).
 */
class CliArchitectureTest {

  @Test
  void cliIsAClientOfTheProtocolOnly() {
    JavaClasses cli =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rstmdb.cli");
    assertThat(cli.containPackage("io.rstmdb.cli.bench")).isTrue();
    HexagonRules.PROTOCOL_AND_CLI_STAY_OUTSIDE.check(cli);
    HexagonRules.ONLY_DI_TOUCHES_DAGGER.check(cli);
    HexagonRules.NO_FIELD_INJECTION.check(cli);
    HexagonRules.NO_PACKAGE_CYCLES.check(cli);
  }
}
