package io.brook.groups;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layering the build checks: the group coordinator is plain Java, deterministic, with time passed in. */
class GroupsArchitectureTest {
  private static final JavaClasses GROUPS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importLocations(Set.of(Location.of(GroupCoordinatorShard.class.getProtectionDomain().getCodeSource().getLocation())));

  @Test
  void groupsNeverDependOnVertxNorOnTheBroker() {
    // proves: a verticle will wrap the shard, not the reverse
    noClasses().that().resideInAPackage("io.brook.groups..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.brook.verticles..", "io.brook.protocol..",
            "io.brook.metadata..", "io.brook.cluster..", "io.brook.server..")
        .check(GROUPS);
  }

  @Test
  void theShardNeverReadsTheClockNorSleepsNorStartsThreads() {
    // proves: time only comes in as nowMs, so the simulation replays a seed exactly
    noClasses().that().resideInAPackage("io.brook.groups..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, java.time.Clock.class, java.time.Instant.class,
            java.util.concurrent.Executor.class)
        .check(GROUPS);
  }
}
