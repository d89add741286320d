package io.foldwise;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure as rules over the compiled main classes: one package per stage, and
 * dependencies that run one way (cli → job and report; job → select; report → select, never job;
 * select → augment/train/ingest/model/store → config). A cycle or an upward import fails the build.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.foldwise");
    }

    @Test
    void packagesHaveNoCycles() {
        ArchRule rule = slices().matching("io.foldwise.(*)..").should().beFreeOfCycles();
        rule.check(main);
    }

    @Test
    void dependenciesRunOneWay() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.foldwise.cli..")
                .layer("job").definedBy("io.foldwise.job..")
                .layer("report").definedBy("io.foldwise.report..")
                .layer("select").definedBy("io.foldwise.select..")
                .layer("augment").definedBy("io.foldwise.augment..")
                .layer("train").definedBy("io.foldwise.train..")
                .layer("model").definedBy("io.foldwise.model..")
                .layer("ingest").definedBy("io.foldwise.ingest..")
                .layer("store").definedBy("io.foldwise.store..")
                .layer("config").definedBy("io.foldwise.config..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("job").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("select").mayOnlyBeAccessedByLayers("job", "report", "cli")
                .whereLayer("augment").mayOnlyBeAccessedByLayers("select", "job", "cli")
                .whereLayer("train").mayOnlyBeAccessedByLayers("select", "job", "report", "cli")
                .whereLayer("model").mayOnlyBeAccessedByLayers("train", "select", "job", "report", "cli")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("augment", "train", "select", "job", "report", "cli")
                .whereLayer("store").mayOnlyBeAccessedByLayers("augment", "train", "select", "job", "report", "cli");
        rule.check(main);
    }

    @Test
    void theRootPackageImportsNoStage() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAPackage("io.foldwise")
                .should().dependOnClassesThat().resideInAnyPackage("io.foldwise.(*)..");
        rule.check(main);
    }
}
