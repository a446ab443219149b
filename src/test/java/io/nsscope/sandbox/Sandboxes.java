package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.namespace.NamespaceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Helpers for the sandbox tests: a service from properties, specs, and what /proc says. */
final class Sandboxes {

    private Sandboxes() {}

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static SandboxService service(String... properties) {
        return service(null, properties);
    }

    static SandboxService service(Boolean kernelProc, String... properties) {
        Map<String, String> map = new HashMap<>();
        map.put("nsscope.sandbox.enabled", "true");
        map.put("nsscope.sandbox.allowed-executables", "/bin/*,/usr/bin/*");
        map.put("nsscope.sandbox.uid-quarantine", "200ms");
        map.put("nsscope.sandbox.required-namespaces", ""); // the tests try every type alone
        for (String p : properties) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        NsscopeProperties props =
                new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("nsscope", NsscopeProperties.class);
        return new SandboxService(
                props,
                new StaticListableBeanFactory().getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class),
                kernelProc);
    }

    /** Properties of a service whose cgroup leaves live in a parent of its own, {@code nsscope-test-<name>}. */
    static String cgroupParent(String name) {
        return "nsscope.sandbox.cgroup.parent=" + cgroupMount().resolve("nsscope-test-" + name);
    }

    /** Where the cgroup2 file system is mounted. */
    static Path cgroupMount() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.contains(" - cgroup2 "))
                    .map(l -> Path.of(l.split(" ")[4]))
                    .findFirst()
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The processes of the host with one of these UIDs (real, effective, saved or file system). */
    static List<Integer> processesOf(long... uids) {
        List<Integer> pids = new java.util.ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                try {
                    for (String line : Files.readAllLines(dir.resolve("status"))) {
                        if (line.startsWith("Uid:")
                                && Arrays.stream(line.substring(4).trim().split("\\s+"))
                                        .mapToLong(Long::parseLong)
                                        .anyMatch(u -> Arrays.stream(uids).anyMatch(x -> x == u))) {
                            pids.add(Integer.parseInt(dir.getFileName().toString()));
                        }
                    }
                } catch (java.io.IOException e) {
                    // exited while listed
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    static Set<NamespaceType> types(String... names) {
        return Arrays.stream(names)
                .map(n -> NamespaceType.fromKernelName(n).orElseThrow())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(NamespaceType.class)));
    }

    static SandboxSpec spec(Set<NamespaceType> types, String... command) {
        return new SandboxSpec(types, List.of(command), null, null, null, null, Duration.ofMinutes(5), Map.of());
    }

    static String link(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (Exception e) {
            return "gone";
        }
    }
}
