package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.testing.FixtureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Unless {@code server.address} says otherwise, the service listens on the loopback interface only: without an API
 * token every process's command line is readable, and {@code ./mvnw spring-boot:run} used to offer it to the LAN.
 * Checked on the kernel's own table of listening sockets, not on the configuration.
 */
class ListenAddressIT extends FixtureServer {

    @Test
    void onlyLoopbackIsListenedOn() throws Exception {
        String port = String.format(Locale.ROOT, "%04X", this.port);
        List<String> listening = Stream.of("tcp", "tcp6")
                .flatMap(table ->
                        lines(Path.of("/proc/self/net", table)).stream().skip(1))
                .map(String::trim)
                .map(l -> l.split("\\s+"))
                .filter(f -> f[1].endsWith(":" + port) && f[3].equals("0A"))
                .map(f -> f[1])
                .toList();
        // 127.0.0.1 in the tables' hex: in tcp, or IPv4-mapped in tcp6 (Java's sockets are dual-stack);
        // never 00000000 or :: (every interface)
        assertThat(listening).hasSize(1);
        assertThat(listening.get(0)).isIn("0100007F:" + port, "0000000000000000FFFF00000100007F:" + port);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
