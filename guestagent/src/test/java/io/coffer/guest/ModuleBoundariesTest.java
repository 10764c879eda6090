package io.coffer.guest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The guest agent reaches the infrastructure database only through the conductor. */
class ModuleBoundariesTest {

  private static final JavaClasses GUEST =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.coffer.guest");

  @Test
  void guestAgentHasNoPathToTheInfrastructureDatabase() {
    noClasses()
        .that()
        .resideInAPackage("io.coffer.guest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.coffer.persistence..",
            "jakarta.persistence..",
            "org.hibernate..",
            "io.quarkus.hibernate..")
        .check(GUEST);
  }

  @Test
  void thePersistenceModuleIsNotOnTheGuestClasspath() throws Exception {
    org.assertj.core.api.Assertions.assertThat(
            getClass().getClassLoader().getResource("db/migration/V1__baseline.sql"))
        .as("the persistence module (and its migrations) must not be a guest dependency")
        .isNull();
  }
}
