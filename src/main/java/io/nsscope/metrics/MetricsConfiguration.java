package io.nsscope.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nsscope.config.NsscopeProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registry-wide settings: the {@code node} tag on every metric, and {@code nsscope_build_info}. */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    MeterRegistryCustomizer<MeterRegistry> nodeTag(NsscopeProperties properties) {
        String node =
                properties.nodeName() == null || properties.nodeName().isBlank() ? hostName() : properties.nodeName();
        return registry -> registry.config().commonTags("node", node);
    }

    @Bean
    Gauge buildInfo(MeterRegistry registry, ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return Gauge.builder("nsscope.build.info", () -> 1)
                .description("nsscope's version and runtime, as labels; the value is always 1")
                .tag(
                        "version",
                        properties != null && properties.getVersion() != null ? properties.getVersion() : "unknown")
                .tag("java_version", System.getProperty("java.version"))
                .tag("spring_boot_version", String.valueOf(SpringBootVersion.getVersion()))
                .register(registry);
    }

    /** This node's host name, as {@code hostname} prints it (the kernel's, not a DNS lookup). */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown";
        }
    }
}
