package io.brook.storage;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Layering the build checks: storage is plain Java, and its public API does not lean on internals' users. */
class StorageArchitectureTest {

    /** The module's own compiled classes (not the whole classpath, which is slow to scan). */
    private static final JavaClasses STORAGE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(java.util.Set.of(Location.of(PartitionLog.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void storageNeverDependsOnVertx() {
        // proves: no class in io.brook.storage.. uses io.vertx.. (storage runs without an event loop)
        noClasses().that().resideInAPackage("io.brook.storage..")
            .should().dependOnClassesThat().resideInAPackage("io.vertx..")
            .check(STORAGE);
    }

    @Test
    void internalsDoNotDependOnThePublicApiPackage() {
        // proves: io.brook.storage.internals is a layer below io.brook.storage, never the other way round
        noClasses().that().resideInAPackage("io.brook.storage.internals..")
            .should().dependOnClassesThat().resideInAPackage("io.brook.storage")
            .check(STORAGE);
    }
}
