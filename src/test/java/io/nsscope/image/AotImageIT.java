package io.nsscope.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as the image runs it: extracted the way the Dockerfile extracts it, started with the Dockerfile's
 * ENTRYPOINT (Spring AOT on) and JAVA_TOOL_OPTIONS, reading this host's /proc as whoever runs the tests. On a JDK
 * older than 24 the ENTRYPOINT's AOT cache option is left out (the JDK AOT cache is Java 24+); where a Java 24+
 * runtime is found ({@code NSSCOPE_TEST_JAVA24}, else {@code /usr/lib/jvm/temurin-25-jdk-amd64}), the Dockerfile's
 * training run is made too (its script, with its workload) and the cache must be usable ({@code -XX:AOTMode=on}: the
 * JVM refuses to start otherwise).
 */
class AotImageIT {

    private static final Duration READY = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void theAotProcessedApplicationStartsWithTheImagesSettingsAndAnswers() throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path app = extract(java);
        List<String> command = entrypoint(java, app, Runtime.version().feature() >= 24);
        try (Service service = Service.start(command, app, dir.resolve("service.log"))) {
            service.awaitReady();
            assertThat(service.logText()).contains("Starting AOT-processed NsscopeApplication");
            long ownNet = ownNamespace("net");
            service.request().get("/namespaces").then().statusCode(200).body("namespaces.ns", hasItem(ownNet));
            service.request()
                    .get("/actuator/prometheus")
                    .then()
                    .statusCode(200)
                    .body(containsString("nsscope_scans_total"));
            service.request().get("/v3/api-docs").then().statusCode(200).body(containsString("\"/namespaces\""));
            // sandboxes are off unless configured at run time: the AOT-processed beans must still ask
            service.request()
                    .get("/sandboxes")
                    .then()
                    .statusCode(403)
                    .body("type", org.hamcrest.Matchers.equalTo("/problems/sandboxes-disabled"));
        }
    }

    @Test
    void theTrainingRunMakesACacheTheEntrypointCanUse() throws Exception {
        Optional<Path> java24 = java24();
        assumeTrue(
                java24.isPresent(),
                "no Java 24+ runtime (NSSCOPE_TEST_JAVA24 or /usr/lib/jvm/temurin-25-jdk-amd64):"
                        + " the JDK AOT cache is a Java 24+ feature, made and used by the image only");
        Path java = java24.get();
        Path app = extract(java);
        ImageFiles image = ImageFiles.read();
        // the Dockerfile's training run: its script (copied where the Dockerfile copies it) runs its java command,
        // waits for readiness, makes its requests and stops the application with SIGTERM
        List<String> training = new ArrayList<>(localPaths(image.training(), app));
        training.set(training.indexOf("java"), java.toString());
        for (Map.Entry<String, String> copy : image.copies().entrySet()) {
            Path target = Path.of(copy.getKey().replace("/app/", app + "/"));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(copy.getValue()), target, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder trainer = new ProcessBuilder(training)
                .directory(app.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("training.log").toFile());
        imageEnvironment(trainer.environment());
        trainer.environment().put("TRAIN_LOG", dir.resolve("training-app.log").toString());
        Process train = trainer.start();
        try {
            assertThat(train.waitFor(400, TimeUnit.SECONDS))
                    .as("the training run ends")
                    .isTrue();
        } finally {
            train.descendants().forEach(ProcessHandle::destroyForcibly);
            train.destroyForcibly();
        }
        assertThat(train.exitValue())
                .as("training run:\n%s", Files.readString(dir.resolve("training.log")))
                .isZero();
        Path cache = Path.of(image.entrypoint().stream()
                .filter(o -> o.startsWith("-XX:AOTCache="))
                .findFirst()
                .orElseThrow()
                .substring("-XX:AOTCache=".length())
                .replace("/app/", app + "/"));
        assertThat(cache).isRegularFile();

        List<String> command = entrypoint(java, app, true);
        command.add(1, "-XX:AOTMode=on");
        try (Service service = Service.start(command, app, dir.resolve("service.log"))) {
            service.awaitReady();
            service.request().get("/namespaces").then().statusCode(200);
        }
    }

    /**
     * The jar extracted as the Dockerfile does (without the launcher: the application jar, renamed nsscope.jar, and
     * lib/): its four layers copied, in order, into one directory.
     */
    private Path extract(Path java) throws Exception {
        Path layers = dir.resolve("layers");
        Process extract = new ProcessBuilder(
                        java.toString(),
                        "-Djarmode=tools",
                        "-jar",
                        jar().toString(),
                        "extract",
                        "--layers",
                        "--destination",
                        layers.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("extract.log").toFile())
                .start();
        assertThat(extract.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(extract.exitValue())
                .as(Files.readString(dir.resolve("extract.log")))
                .isZero();
        // renamed as the Dockerfile renames it: the ENTRYPOINT names /app/nsscope.jar
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(layers.resolve("application"), "nsscope-*.jar")) {
            for (Path jar : jars) {
                Files.move(jar, jar.resolveSibling("nsscope.jar"));
            }
        }
        Path app = dir.resolve("app");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyTree(layers.resolve(layer), app);
        }
        return app;
    }

    /** The ENTRYPOINT, run by {@code java}, its /app paths under {@code app}; without the AOT cache if not asked. */
    private static List<String> entrypoint(Path java, Path app, boolean aotCache) {
        List<String> command = new ArrayList<>(localPaths(ImageFiles.read().entrypoint(), app));
        assertThat(command.get(0)).isEqualTo("java");
        command.set(0, java.toString());
        if (!aotCache) {
            command.removeIf(o -> o.startsWith("-XX:AOTCache"));
        }
        return command;
    }

    private static List<String> localPaths(List<String> argv, Path app) {
        return argv.stream().map(a -> a.replace("/app/", app + "/")).toList();
    }

    /** The runtime stage's environment (JAVA_TOOL_OPTIONS, MALLOC_ARENA_MAX...), and none of the caller's settings. */
    private static void imageEnvironment(Map<String, String> env) {
        env.keySet()
                .removeIf(k -> k.startsWith("NSSCOPE_")
                        || k.startsWith("SERVER_")
                        || k.startsWith("JAVA_")
                        || k.startsWith("SPRING_")
                        || k.startsWith("MALLOC_"));
        env.putAll(ImageFiles.read().env());
    }

    static Path jar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "nsscope-*.jar")) {
            for (Path jar : jars) {
                if (!jar.getFileName().toString().endsWith("-plain.jar")) {
                    return jar.toAbsolutePath();
                }
            }
        }
        throw new AssertionError("no target/nsscope-*.jar: the integration tests run after `package`");
    }

    private static Optional<Path> java24() {
        String configured = System.getenv("NSSCOPE_TEST_JAVA24");
        Path candidate = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        if (Runtime.version().feature() >= 24) {
            return Optional.of(Path.of(ProcessHandle.current().info().command().orElse("java")));
        }
        return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    private static long ownNamespace(String type) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
        return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The service started with the image's environment, on 127.0.0.1 and a free port. */
    private record Service(Process process, int port, Path log) implements AutoCloseable {

        static Service start(List<String> command, Path app, Path log) throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(app.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            imageEnvironment(env);
            env.put("NSSCOPE_PROCFS_ROOT", "/proc");
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("SERVER_ADDRESS", "127.0.0.1");
            return new Service(pb.start(), port, log);
        }

        void awaitReady() {
            Awaitility.await("nsscope as the image runs it, ready on port " + port)
                    .atMost(READY)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("nsscope exited with " + process.exitValue() + ":\n" + logText());
                        }
                        try {
                            return request().get("/actuator/health/readiness").statusCode() == 200;
                        } catch (Exception e) {
                            return false; // not listening yet
                        }
                    });
        }

        io.restassured.specification.RequestSpecification request() {
            return given().baseUri("http://127.0.0.1").port(port);
        }

        String logText() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
