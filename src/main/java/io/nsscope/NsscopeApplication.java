package io.nsscope;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of nsscope: the namespace state of this Linux host, served over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NsscopeApplication {

    public static void main(String[] args) {
        SpringApplication.run(NsscopeApplication.class, args);
    }
}
