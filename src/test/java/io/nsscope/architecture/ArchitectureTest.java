package io.nsscope.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The house rules of the code base's shape. */
@AnalyzeClasses(
        packages = "io.nsscope",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NotGeneratedBySpringAot.class})
class ArchitectureTest {

    /**
     * Leaves out what Spring AOT generates into {@code target/classes} when {@code package} runs (bean definitions as
     * code, {@code __BeanDefinitions}, {@code __BeanFactoryRegistrations}, and CGLIB proxies): it is not written by
     * hand, and it wires every package together by design. Without this, a second {@code ./mvnw verify} without
     * {@code clean} judged those classes too.
     */
    static final class NotGeneratedBySpringAot implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("__") && !location.contains("$$SpringCGLIB$$");
        }
    }

    @ArchTest
    static final ArchRule modelIsPlainJava = noClasses()
            .that()
            .resideInAnyPackage("io.nsscope.namespace..", "io.nsscope.process..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "com.sun.jna..",
                    "io.swagger..",
                    "jakarta..",
                    "tools.jackson..",
                    "com.fasterxml..",
                    "io.micrometer..")
            .because("the model is records and enums, free of frameworks and native code");

    @ArchTest
    static final ArchRule modelDoesNotReadProcfs = noClasses()
            .that()
            .resideInAnyPackage("io.nsscope.namespace..", "io.nsscope.process..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.nsscope.procfs..", "io.nsscope.scan..", "io.nsscope.web..");

    @ArchTest
    static final ArchRule procfsReadersAreFrameworkFree = noClasses()
            .that()
            .resideInAPackage("io.nsscope.procfs..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "com.sun.jna..");

    @ArchTest
    static final ArchRule onlyTheJnaPackageUsesJna = noClasses()
            .that()
            .resideOutsideOfPackage("io.nsscope.jna..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.sun.jna..")
            .because("all native calls go through the jna bindings, where errno becomes a typed exception");

    @ArchTest
    static final ArchRule jnaDependsOnNoOtherNsscopePackage = classes()
            .that()
            .resideInAPackage("io.nsscope.jna..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("io.nsscope.jna..", "java..", "com.sun.jna..")
            .because("jna is the bindings to the kernel and libc: nsscope's packages depend on it, never the reverse");

    @ArchTest
    static final ArchRule controllersDoNotReadProcfs = noClasses()
            .that()
            .resideInAPackage("io.nsscope.web..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.nsscope.procfs..")
            .because("requests are answered from the snapshot, except a namespace's details (GET /namespaces/{ns}),"
                    + " which read /proc on demand through io.nsscope.details (once per snapshot), and sandboxes,"
                    + " whose launcher reads its own processes' files");

    @ArchTest
    static final ArchRule onlyTheScanTheDetailsAndTheSandboxesReadProcfs = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "io.nsscope.procfs..",
                    "io.nsscope.scan..",
                    "io.nsscope.details..",
                    "io.nsscope.sandbox..",
                    "io.nsscope.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.nsscope.procfs..")
            .because("/proc is read by the background scan, on demand by the namespace details, and by the sandbox"
                    + " launcher for its own processes (config only makes the ProcFs)");

    @ArchTest
    static final ArchRule controllersLiveInWeb = classes()
            .that()
            .areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
            .should()
            .resideInAPackage("io.nsscope.web..");

    @ArchTest
    static final ArchRule onlyWebUsesSpringMvcAndServlets = noClasses()
            .that()
            .resideOutsideOfPackage("io.nsscope.web..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework.web.servlet..",
                    "org.springframework.web.bind..",
                    "org.springframework.web.method..",
                    "org.springframework.web.filter..",
                    "org.springframework.web.context..",
                    "org.springframework.security..",
                    "jakarta.servlet..",
                    "org.apache.catalina..")
            .because("HTTP is web's: the other packages know only the ErrorResponse contract of their exceptions"
                    + " (org.springframework.web.ErrorResponseException, org.springframework.http)");

    @ArchTest
    static final ArchRule nothingDependsOnWeb = noClasses()
            .that()
            .resideOutsideOfPackage("io.nsscope.web..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.nsscope.web..")
            .because("web is the outermost layer: it serves the model, the model never serves it");

    @ArchTest
    static final ArchRule problemsAndTextKnowNoOtherPartOfWeb = noClasses()
            .that()
            .resideInAnyPackage("io.nsscope.web.problem..", "io.nsscope.web.text..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.nsscope.web",
                    "io.nsscope.web.security..",
                    "io.nsscope.web.sandbox..",
                    "io.nsscope.web.page..",
                    "io.nsscope.web.openapi..")
            .because("every endpoint answers problems and text the same way; they do not know which endpoints exist");

    @ArchTest
    static final ArchRule securityKnowsNoEndpoint = noClasses()
            .that()
            .resideInAPackage("io.nsscope.web.security..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.nsscope.web", "io.nsscope.web.sandbox..", "io.nsscope.web.page..", "io.nsscope.web.openapi..")
            .because("who may call what is decided on the handler Spring matched and its annotations"
                    + " (PublicPage), never on an endpoint's code");

    /** The endpoint groups of web: the read API (web itself), the sandboxes, the page, the OpenAPI document. */
    private static final String[] ENDPOINT_GROUPS = {
        "io.nsscope.web", "io.nsscope.web.sandbox..", "io.nsscope.web.page..", "io.nsscope.web.openapi.."
    };

    @ArchTest
    static final ArchRule readApiIsOnItsOwn = endpointGroupOnItsOwn(0);

    @ArchTest
    static final ArchRule sandboxApiIsOnItsOwn = endpointGroupOnItsOwn(1);

    @ArchTest
    static final ArchRule pageIsOnItsOwn = endpointGroupOnItsOwn(2);

    @ArchTest
    static final ArchRule openApiDocumentIsOnItsOwn = endpointGroupOnItsOwn(3);

    private static ArchRule endpointGroupOnItsOwn(int group) {
        String[] others = java.util.stream.IntStream.range(0, ENDPOINT_GROUPS.length)
                .filter(i -> i != group)
                .mapToObj(i -> ENDPOINT_GROUPS[i])
                .toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage(ENDPOINT_GROUPS[group])
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("each group of endpoints changes on its own; what they share is web.problem,"
                        + " web.security and web.text");
    }

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.nsscope.(*)..").should().beFreeOfCycles();
}
