package io.brook.replication;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Layering the build checks: the replication state machines are plain Java. */
class ReplicationArchitectureTest {

    private static final JavaClasses REPLICATION = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(Set.of(Location.of(LeaderReplicaState.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void replicationNeverDependsOnVertx() {
        // proves: no class in io.brook.replication.. uses io.vertx.. (the verticles wrap it, not the other way)
        noClasses().that().resideInAPackage("io.brook.replication..")
            .should().dependOnClassesThat().resideInAPackage("io.vertx..")
            .check(REPLICATION);
    }

    @Test
    void replicationDoesNotReachIntoStorageInternals() {
        // proves: only PartitionLog's public API is used, so storage may change its internals freely
        noClasses().that().resideInAPackage("io.brook.replication..")
            .should().dependOnClassesThat().resideInAPackage("io.brook.storage.internals..")
            .check(REPLICATION);
    }
}
