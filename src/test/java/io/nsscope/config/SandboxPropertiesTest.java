package io.nsscope.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** nsscope.sandbox.* and nsscope.api.*: safe defaults, and values that stop the service at start. */
class SandboxPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NsscopeProperties.class)
    static class Config {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void defaultsAreOffAndBounded() {
        runner.run(context -> {
            NsscopeProperties.Sandbox s =
                    context.getBean(NsscopeProperties.class).sandbox();
            assertThat(s.enabled()).isFalse();
            assertThat(s.token()).isNull();
            assertThat(s.maxConcurrent()).isEqualTo(8);
            assertThat(s.defaultTtl()).isEqualTo(Duration.ofMinutes(10));
            assertThat(s.maxTtl()).isEqualTo(Duration.ofHours(1));
            assertThat(s.uidPoolFirst()).isEqualTo(200000);
            assertThat(s.uidPoolLast()).isEqualTo(265535);
            assertThat(s.allowedExecutables()).isEmpty(); // nothing runs until the operator lists what may
            assertThat(s.uidQuarantine()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.cgroup().parent()).isNull();
            assertThat(s.cgroup().pidsMax()).isEqualTo(256);
            assertThat(s.cgroup().memoryMax()).isEqualTo(org.springframework.util.unit.DataSize.ofMegabytes(256));
            assertThat(s.cgroup().cpuMax()).isEqualTo("50000 100000");
            assertThat(s.onStartup()).isEqualTo(NsscopeProperties.OnStartup.KILL);
            assertThat(context.getBean(NsscopeProperties.class).api().redactCommandArgs())
                    .isFalse();
        });
    }

    @Test
    void binds() {
        runner.withPropertyValues(
                        "nsscope.sandbox.uid-pool=1000-1999",
                        "nsscope.sandbox.on-startup=adopt",
                        "nsscope.sandbox.allowed-executables=/opt/**",
                        "nsscope.api.redact-command-args=true")
                .run(context -> {
                    NsscopeProperties p = context.getBean(NsscopeProperties.class);
                    assertThat(p.sandbox().uidPoolFirst()).isEqualTo(1000);
                    assertThat(p.sandbox().onStartup()).isEqualTo(NsscopeProperties.OnStartup.ADOPT);
                    assertThat(p.sandbox().allowedExecutables()).isEqualTo(List.of("/opt/**"));
                    assertThat(p.api().redactCommandArgs()).isTrue();
                });
    }

    @Test
    void rejectsBadValues() {
        for (String bad : new String[] {
            "nsscope.sandbox.uid-pool=0-100",
            "nsscope.sandbox.uid-pool=200-100",
            "nsscope.sandbox.uid-pool=100",
            "nsscope.sandbox.uid-pool=1-4294967295",
            "nsscope.sandbox.default-ttl=2h",
            "nsscope.sandbox.max-concurrent=0",
            "nsscope.api.token=short"
        }) {
            runner.withPropertyValues(bad)
                    .run(context -> assertThat(context).as(bad).hasFailed());
        }
    }
}
