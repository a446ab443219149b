package io.nsscope.testing;

import io.nsscope.procfs.ProcFs;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Stands a {@link FixtureProcFs} over {@link FixtureServer#ROOT} in for the real procfs reader. */
@TestConfiguration(proxyBeanMethods = false)
public class FixtureKernel {

    @Bean
    @Primary
    ProcFs fixtureProcFs() {
        return new FixtureProcFs(FixtureServer.ROOT).vanishOnNamespaceRead(4300);
    }
}
