package io.rstmdb.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Early warning inside core for two of the repository-wide rules (testkit checks all of them over
 * every module): core's packages form no cycle, and the engine's layers only point downwards.
 */
class CorePackagesTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // Only core's own output directory: scanning the whole classpath takes seconds.
          .importLocations(
              Set.of(
                  Location.of(
                      io.rstmdb.core.api.Database.class
                          .getProtectionDomain()
                          .getCodeSource()
                          .getLocation())));

  @Test
  void corePackagesAreFreeOfCycles() {
    slices().matching("io.rstmdb.core.(**)").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void onlyTheEngineSeesEverything() {
    classes()
        .that()
        .resideInAnyPackage("io.rstmdb.core.state..", "io.rstmdb.core.entry..")
        .should()
        .onlyDependOnClassesThat()
        .resideOutsideOfPackage("io.rstmdb.core.engine..")
        .check(CORE);
  }
}
