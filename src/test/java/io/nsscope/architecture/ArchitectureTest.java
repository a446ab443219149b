package io.nsscope.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The house rules of the code base's shape. */
@AnalyzeClasses(packages = "io.nsscope", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule modelIsPlainJava = noClasses()
            .that().resideInAnyPackage("io.nsscope.namespace..", "io.nsscope.process..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.sun.jna..",
                    "io.swagger..", "jakarta..", "tools.jackson..", "com.fasterxml..", "io.micrometer..")
            .because("the model is records and enums, free of frameworks and native code");

    @ArchTest
    static final ArchRule modelDoesNotReadProcfs = noClasses()
            .that().resideInAnyPackage("io.nsscope.namespace..", "io.nsscope.process..")
            .should().dependOnClassesThat().resideInAnyPackage("io.nsscope.procfs..", "io.nsscope.scan..",
                    "io.nsscope.web..");

    @ArchTest
    static final ArchRule procfsReadersAreFrameworkFree = noClasses()
            .that().resideInAPackage("io.nsscope.procfs..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.sun.jna..");

    @ArchTest
    static final ArchRule onlyTheJnaPackageUsesJna = noClasses()
            .that().resideOutsideOfPackage("io.nsscope.jna..")
            .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
            .because("all native calls go through the jna bindings, where errno becomes a typed exception");

    @ArchTest
    static final ArchRule jnaDependsOnNoOtherNsscopePackage = classes()
            .that().resideInAPackage("io.nsscope.jna..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.nsscope.jna..", "java..", "com.sun.jna..")
            .because("jna is the bindings to the kernel and libc: nsscope's packages depend on it, never the reverse");

    @ArchTest
    static final ArchRule controllersDoNotReadProcfs = noClasses()
            .that().resideInAPackage("io.nsscope.web..")
            .should().dependOnClassesThat().resideInAPackage("io.nsscope.procfs..")
            .because("requests are answered from the snapshot; the one request that reads /proc, a namespace's "
                    + "details (GET /namespaces/{ns}), does so through io.nsscope.details, read once per snapshot");

    @ArchTest
    static final ArchRule onlyTheScanTheDetailsAndTheSandboxesReadProcfs = noClasses()
            .that().resideOutsideOfPackages("io.nsscope.procfs..", "io.nsscope.scan..", "io.nsscope.details..",
                    "io.nsscope.sandbox..", "io.nsscope.config..")
            .should().dependOnClassesThat().resideInAPackage("io.nsscope.procfs..")
            .because("/proc is read by the background scan, on demand by the namespace details, and by the sandbox"
                    + " launcher for its own processes (config only makes the ProcFs)");

    @ArchTest
    static final ArchRule controllersLiveInWeb = classes()
            .that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
            .should().resideInAPackage("io.nsscope.web..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.nsscope.(*)..").should().beFreeOfCycles();
}
