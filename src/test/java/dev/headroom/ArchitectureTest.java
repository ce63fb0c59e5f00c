package dev.headroom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of ARCHITECTURE.md, enforced. */
@AnalyzeClasses(packages = "dev.headroom", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainHasNoToolkit = noClasses()
            .that().resideInAnyPackage("dev.headroom.catalog..", "dev.headroom.sizing..", "dev.headroom.cost..",
                    "dev.headroom.serving..", "dev.headroom.planner..", "dev.headroom.telemetry..",
                    "dev.headroom.settings..", "dev.headroom.common..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..",
                    "org.kordamp.ikonli..")
            .because("the engine runs from the CLI, tests and benchmarks without a toolkit");

    @ArchTest
    static final ArchRule nothingImportsUiOrCli = noClasses()
            .that().resideOutsideOfPackages("dev.headroom.ui..", "dev.headroom.cli..")
            .and().doNotHaveFullyQualifiedName("dev.headroom.Main")
            .and().doNotHaveFullyQualifiedName("dev.headroom.CdsTraining")
            .should().dependOnClassesThat().resideInAnyPackage("dev.headroom.ui..", "dev.headroom.cli..")
            .because("the UI and the CLI are two front ends over the same engine; only Main chooses between them"
                    + " (and the build's CdsTraining, which starts both to record their classes)");

    @ArchTest
    static final ArchRule uiAndCliStayApart = noClasses()
            .that().resideInAPackage("dev.headroom.ui..")
            .should().dependOnClassesThat().resideInAPackage("dev.headroom.cli..")
            .because("neither front end may reach into the other");

    @ArchTest
    static final ArchRule cliDoesNotStartJavaFx = noClasses()
            .that().resideInAPackage("dev.headroom.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.headroom.ui..")
            .because("the command line runs without starting JavaFX");

    @ArchTest
    static final ArchRule catalogDependsOnNoOtherEngine = noClasses()
            .that().resideInAPackage("dev.headroom.catalog..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.headroom.sizing..", "dev.headroom.cost..",
                    "dev.headroom.telemetry..", "dev.headroom.report..")
            .because("catalog is the bottom layer: sizing and cost build on it");

    @ArchTest
    static final ArchRule sizingDependsOnlyOnCatalog = noClasses()
            .that().resideInAPackage("dev.headroom.sizing..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.headroom.cost..", "dev.headroom.serving..",
                    "dev.headroom.planner..", "dev.headroom.telemetry..", "dev.headroom.report..")
            .allowEmptyShould(true)
            .because("sizing ──► catalog only");

    @ArchTest
    static final ArchRule servingUsesSizingAndCost = noClasses()
            .that().resideInAPackage("dev.headroom.serving..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.headroom.telemetry..", "dev.headroom.report..",
                    "dev.headroom.planner..")
            .because("serving ──► sizing, cost (and the catalog they read)");

    @ArchTest
    static final ArchRule plannerSearchesOverSizingServingAndCost = noClasses()
            .that().resideInAPackage("dev.headroom.planner..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.headroom.telemetry..", "dev.headroom.report..")
            .because("planner ──► sizing, serving, cost");

    @ArchTest
    static final ArchRule telemetryStandsAlone = noClasses()
            .that().resideInAPackage("dev.headroom.telemetry..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.headroom.catalog..", "dev.headroom.sizing..",
                    "dev.headroom.cost..", "dev.headroom.serving..", "dev.headroom.report..")
            .allowEmptyShould(true)
            .because("telemetry depends on nothing of ours but common value types");

    @ArchTest
    static final ArchRule jnaStaysInTheBinding = noClasses()
            .that().resideOutsideOfPackage("dev.headroom.telemetry.nvml..")
            .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
            .because("JNA types never leave telemetry/nvml; the rest sees GpuSource and immutable readings");

    @ArchTest
    static final ArchRule workspacesLiveInTheirOwnPackages = classes()
            .that().haveSimpleNameEndingWith("Workspace").and().resideInAPackage("dev.headroom.ui..")
            .should().resideInAnyPackage("dev.headroom.ui.plan", "dev.headroom.ui.costs", "dev.headroom.ui.monitor")
            .because("one package per screen (STYLE.md)");
}
