package io.nsscope.live;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A test of {@code /sandboxes} on this host's kernel: nsscope on a random port with sandboxes enabled, a wide UID
 * pool and no rate limit, scans only on request. One annotation, so that every {@code Sandbox*LiveIT} shares one
 * Spring context (the test context cache keys on these properties). Inherited: the tests get it from
 * {@link WithLiveSandboxes}.
 */
@Target(ElementType.TYPE)
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nsscope.sandbox.enabled=true", "nsscope.sandbox.token=" + LiveSandboxes.TOKEN,
            "nsscope.sandbox.max-concurrent=64", "nsscope.sandbox.creations-per-minute=100000",
            "nsscope.sandbox.uid-pool=300000-300999", "nsscope.scan.interval=1h",
            "nsscope.sandbox.allowed-executables=/bin/*,/usr/bin/*", "nsscope.sandbox.required-namespaces="
        })
@interface SandboxLiveTest {}
