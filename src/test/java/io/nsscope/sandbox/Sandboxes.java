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

    private Sandboxes() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static SandboxService service(String... properties) {
        return service(null, properties);
    }

    static SandboxService service(Boolean kernelProc, String... properties) {
        Map<String, String> map = new HashMap<>();
        map.put("nsscope.sandbox.enabled", "true");
        for (String p : properties) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        NsscopeProperties props = new Binder(new MapConfigurationPropertySource(map))
                .bindOrCreate("nsscope", NsscopeProperties.class);
        return new SandboxService(props, new StaticListableBeanFactory().getBeanProvider(
                io.micrometer.core.instrument.MeterRegistry.class), kernelProc);
    }

    static Set<NamespaceType> types(String... names) {
        return Arrays.stream(names).map(n -> NamespaceType.fromKernelName(n).orElseThrow())
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
