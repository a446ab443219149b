package io.nsscope.config;

import io.nsscope.procfs.ProcFs;
import io.nsscope.scan.PasswdSource;
import io.nsscope.scan.Scanner;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.scan.SnapshotListener;
import io.nsscope.scan.Sources;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the procfs reader, the scanner and the snapshot cache from {@link NsscopeProperties}. */
@Configuration(proxyBeanMethods = false)
class ScanConfiguration {

    @Bean
    ProcFs procFs(NsscopeProperties properties) {
        return new ProcFs(properties.procfs().root());
    }

    @Bean
    PasswdSource passwdSource(NsscopeProperties properties) {
        return new PasswdSource(PasswdSource.resolve(
                properties.procfs().root(), properties.procfs().passwd()));
    }

    @Bean
    Scanner scanner(ProcFs procFs, PasswdSource passwd, NsscopeProperties properties) {
        NsscopeProperties.Scan.Sources s = properties.scan().sources();
        return new Scanner(
                procFs,
                passwd,
                properties.scan().parallelism(),
                Clock.systemUTC(),
                new Sources(s.threads(), s.fds(), s.mounts(), s.hierarchy(), s.sockets()));
    }

    @Bean(destroyMethod = "close")
    SnapshotCache snapshotCache(Scanner scanner, NsscopeProperties properties) {
        NsscopeProperties.Scan scan = properties.scan();
        return new SnapshotCache(
                scanner,
                scan.interval(),
                scan.refreshMinInterval(),
                scan.refreshTimeout(),
                scan.staleAfterIntervals(),
                Clock.systemUTC());
    }

    /**
     * Starts scanning once every bean exists (so every {@link SnapshotListener} hears the first scan) and before the
     * web server opens its port (so the first request finds a snapshot); stops it on shutdown (the cache bean's
     * {@code close} then ends its threads).
     */
    @Bean
    SmartLifecycle scanning(SnapshotCache cache, ObjectProvider<SnapshotListener> listeners) {
        return new SmartLifecycle() {
            private volatile boolean running;
            private boolean listening;

            @Override
            public void start() {
                if (!listening) {
                    listeners.orderedStream().forEach(cache::addListener);
                    listening = true;
                }
                cache.start();
                running = true;
            }

            /** Pauses the background scans; the context may start them again (the test framework does). */
            @Override
            public void stop() {
                cache.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return 0;
            }
        };
    }
}
