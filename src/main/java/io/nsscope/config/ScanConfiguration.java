package io.nsscope.config;

import io.nsscope.procfs.ProcFs;
import io.nsscope.scan.PasswdSource;
import io.nsscope.scan.Scanner;
import io.nsscope.scan.SnapshotCache;
import java.time.Clock;
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
        return new PasswdSource(PasswdSource.resolve(properties.procfs().root(), properties.procfs().passwd()));
    }

    @Bean
    Scanner scanner(ProcFs procFs, PasswdSource passwd, NsscopeProperties properties) {
        return new Scanner(procFs, passwd, properties.scan().parallelism(), Clock.systemUTC());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    SnapshotCache snapshotCache(Scanner scanner, NsscopeProperties properties) {
        NsscopeProperties.Scan scan = properties.scan();
        return new SnapshotCache(scanner, scan.interval(), scan.refreshMinInterval(), scan.refreshTimeout());
    }
}
