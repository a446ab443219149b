package io.nsscope.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

class NsscopePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NsscopeProperties.class)
    static class Config {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void defaults() {
        runner.run(context -> {
            NsscopeProperties p = context.getBean(NsscopeProperties.class);
            assertThat(p.procfs().root()).isEqualTo(Path.of("/proc"));
            assertThat(p.procfs().passwd()).isNull();
            assertThat(p.scan().interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.scan().refreshMinInterval()).isEqualTo(Duration.ofMillis(500));
            assertThat(p.scan().refreshTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(p.scan().parallelism()).isEqualTo(2);
        });
    }

    @Test
    void binds() {
        runner.withPropertyValues(
                        "nsscope.procfs.root=/host/proc", "nsscope.scan.interval=5s", "nsscope.scan.parallelism=4")
                .run(context -> {
                    NsscopeProperties p = context.getBean(NsscopeProperties.class);
                    assertThat(p.procfs().root()).isEqualTo(Path.of("/host/proc"));
                    assertThat(p.scan().interval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.scan().parallelism()).isEqualTo(4);
                });
    }

    @Test
    void rejectsAZeroInterval() {
        runner.withPropertyValues("nsscope.scan.interval=0s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("nsscope.scan.interval must be positive"));
    }

    @Test
    void rejectsParallelismOutOfRange() {
        runner.withPropertyValues("nsscope.scan.parallelism=0")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("nsscope.scan.parallelism=65")
                .run(context -> assertThat(context).hasFailed());
    }
}
