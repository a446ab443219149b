package io.nsscope.live;

import static io.restassured.RestAssured.given;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.nsscope.jna.Capabilities.Capability;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.yaml.snakeyaml.Yaml;

/**
 * nsscope as the Helm chart deploys it, on this host: the packaged jar started as a child process by
 * {@code setpriv(1)} with the capability bounding set, capabilities and {@code no_new_privs} of the container the chart
 * renders (every capability dropped but those its {@code securityContext} adds; {@code allowPrivilegeEscalation:
 * false}), the chart's JVM options ({@code JAVA_TOOL_OPTIONS}) and scan settings, reading this host's {@code /proc}
 * (the chart mounts the node's at {@code /host/proc}), on 127.0.0.1 and a free port.
 */
final class ServiceAsDeployed implements AutoCloseable {

    private static final Path CHART = Path.of("helm/nsscope");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

    /** What the chart renders for the container, with these {@code --set} values. */
    record Rendered(List<String> capabilities, Map<String, String> env) {

        static Rendered of(Map<String, Object> set) {
            TemplateCommand template =
                    new Helm(CHART).template().withName("nsscope").withNamespace("monitoring");
            set.forEach(template::set);
            for (Object doc : new Yaml().loadAll(template.call())) {
                if (doc instanceof Map<?, ?> object && "DaemonSet".equals(object.get("kind"))) {
                    Map<?, ?> container =
                            (Map<?, ?>) ((List<?>) at(object, "spec", "template", "spec", "containers")).get(0);
                    List<String> caps = ((List<?>) at(container, "securityContext", "capabilities", "add"))
                            .stream().map(String::valueOf).toList();
                    if (!List.of("ALL").equals(at(container, "securityContext", "capabilities", "drop"))) {
                        throw new AssertionError("the chart no longer drops ALL capabilities: update this test");
                    }
                    Map<String, String> env = new java.util.LinkedHashMap<>();
                    for (Object e : (List<?>) container.get("env")) {
                        Map<?, ?> var = (Map<?, ?>) e;
                        if (var.get("value") != null) {
                            env.put(String.valueOf(var.get("name")), String.valueOf(var.get("value")));
                        }
                    }
                    return new Rendered(caps, env);
                }
            }
            throw new AssertionError("the chart renders no DaemonSet");
        }

        private static Object at(Object node, String... path) {
            Object current = node;
            for (String key : path) {
                current = current instanceof Map<?, ?> m ? m.get(key) : null;
            }
            return current;
        }

        /** setpriv's {@code --bounding-set} argument: {@code -all,+sys_ptrace,+dac_read_search}. */
        String boundingSet() {
            StringBuilder s = new StringBuilder("-all");
            capabilities.forEach(c -> s.append(",+").append(c.toLowerCase(Locale.ROOT)));
            return s.toString();
        }

        /** The capability set as a bit mask, as /proc/PID/status prints it. */
        long mask() {
            long mask = 0;
            for (String c : capabilities) {
                mask |= 1L << Capability.valueOf("CAP_" + c).number();
            }
            return mask;
        }
    }

    final Rendered rendered;
    final Process process;
    final int port;
    private final Path log;

    private ServiceAsDeployed(Rendered rendered, Process process, int port, Path log) {
        this.rendered = rendered;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The packaged jar (target/nsscope-VERSION.jar, which {@code mvn verify} builds before the integration tests). */
    static Optional<Path> jar() {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "nsscope-*.jar")) {
            for (Path jar : jars) {
                if (!jar.getFileName().toString().endsWith("-plain.jar")) {
                    return Optional.of(jar.toAbsolutePath());
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Starts the jar under setpriv as the chart, rendered with {@code set}, would run it. */
    static ServiceAsDeployed start(Path jar, Map<String, Object> set) throws IOException {
        Rendered rendered = Rendered.of(set);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path log = Files.createTempFile("nsscope-as-deployed", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(
                LiveHost.tool("setpriv").orElseThrow().toString(),
                "--bounding-set",
                rendered.boundingSet(),
                "--inh-caps",
                "-all",
                "--no-new-privs",
                "--",
                java,
                "-jar",
                jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NSSCOPE_") || k.startsWith("SERVER_") || k.startsWith("JAVA_"));
        for (String name : List.of("JAVA_TOOL_OPTIONS", "NSSCOPE_SCAN_INTERVAL", "NSSCOPE_SCAN_PARALLELISM")) {
            env.put(name, rendered.env().get(name));
        }
        env.put("NSSCOPE_PROCFS_ROOT", "/proc");
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        return new ServiceAsDeployed(rendered, pb.start(), port, log);
    }

    /** Waits until readiness answers 200; fails at once, with the log, if the process ends. */
    ServiceAsDeployed awaitReady() {
        Awaitility.await("nsscope under setpriv ready on port " + port)
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("nsscope exited with " + process.exitValue() + ":\n" + logTail());
                    }
                    try {
                        return request().get("/actuator/health/readiness").statusCode() == 200;
                    } catch (Exception e) {
                        return false; // not listening yet (REST Assured throws ConnectException undeclared)
                    }
                });
        return this;
    }

    RequestSpecification request() {
        return given().baseUri("http://127.0.0.1").port(port);
    }

    /** A field of the service's /proc/PID/status, e.g. {@code CapEff}. */
    String status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + process.pid() + "/status");
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it as the kubelet would (SIGTERM), then for good, and deletes its log. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
