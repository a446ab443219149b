package io.nsscope.details;

import io.nsscope.procfs.ProcFs;
import io.nsscope.scan.PasswdSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the namespace details reader: the real kernel access, the configured procfs and password file. */
@Configuration(proxyBeanMethods = false)
class DetailsConfiguration {

    @Bean
    NamespaceDetailsService namespaceDetailsService(ProcFs procFs, PasswdSource passwd) {
        return new NamespaceDetailsService(procFs, new SetnsAccess(), passwd);
    }
}
