package io.nsscope.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * nsscope's configuration, under the {@code nsscope.} prefix. Every property is listed in the README.
 *
 * @param procfs   where the host's procfs is
 * @param scan     how often and how hard to scan it
 * @param metrics  what to export to Prometheus
 * @param events   the live event stream
 * @param nodeName the name of this node, a common tag of every metric; unset: the host name
 */
@Validated
@ConfigurationProperties("nsscope")
public record NsscopeProperties(@Valid @DefaultValue Procfs procfs, @Valid @DefaultValue Scan scan,
        @Valid @DefaultValue Metrics metrics, @Valid @DefaultValue Events events, String nodeName) {

    /**
     * @param perNamespace also export one series per namespace (processes in it); off by default: a busy host has
     *                     thousands of namespaces
     */
    public record Metrics(@DefaultValue("false") boolean perNamespace) {
    }

    /**
     * @param maxSubscribers    concurrent {@code /events} streams; more get 503 with {@code Retry-After}
     * @param buffer            events kept for clients that reconnect with {@code Last-Event-ID}
     * @param heartbeat         how often an idle stream gets a comment, so that proxies keep it open
     * @param maxQueuedPerClient events waiting for one slow client before it is dropped
     */
    public record Events(@Min(1) @Max(10000) @DefaultValue("32") int maxSubscribers,
            @Min(1) @Max(1000000) @DefaultValue("10000") int buffer,
            @NotNull @DefaultValue("15s") Duration heartbeat,
            @Min(1) @Max(1000000) @DefaultValue("1000") int maxQueuedPerClient) {
    }

    /**
     * @param root   the procfs to read: {@code /proc}, or the host's procfs mounted elsewhere
     *               ({@code /host/proc} in the DaemonSet)
     * @param passwd the password file that names UIDs; unset: {@code /etc/passwd} when {@code root} is
     *               {@code /proc}, else {@code <root>/1/root/etc/passwd} (the host's, seen through its init)
     */
    public record Procfs(@NotNull @DefaultValue("/proc") Path root, Path passwd) {
    }

    /**
     * @param interval           the delay between the end of one background scan and the start of the next
     * @param refreshMinInterval the least time between the starts of two scans asked for with
     *                           {@code ?refresh=true}: callers in between wait and share the next one
     * @param refreshTimeout     how long a {@code ?refresh=true} request waits for its scan before it gets 503
     * @param parallelism        how many threads read processes during a scan
     * @param sources            what a scan reads besides each process's own namespaces
     */
    public record Scan(@NotNull @DefaultValue("2s") Duration interval,
            @NotNull @DefaultValue("500ms") Duration refreshMinInterval,
            @NotNull @DefaultValue("10s") Duration refreshTimeout,
            @Min(1) @Max(64) @DefaultValue("2") int parallelism,
            @Valid @DefaultValue Sources sources) {

        /**
         * @param threads   every thread's namespaces, to find threads whose namespaces differ from their process's
         * @param fds       every process's open descriptors, to find namespaces held by one
         * @param mounts    the nsfs bind mounts of every mount namespace
         * @param hierarchy owner, parent and owner UID through the nsfs ioctls, net namespace IDs, and ancestors
         *                  held by nothing else
         * @param sockets   network namespaces held only by a socket (pidfd_getfd + SIOCGSKNS on every socket of
         *                  every process: costly, off by default)
         */
        public record Sources(@DefaultValue("true") boolean threads, @DefaultValue("true") boolean fds,
                @DefaultValue("true") boolean mounts, @DefaultValue("true") boolean hierarchy,
                @DefaultValue("false") boolean sockets) {
        }

        public Scan {
            requirePositive("nsscope.scan.interval", interval);
            requirePositive("nsscope.scan.refresh-timeout", refreshTimeout);
            if (refreshMinInterval != null && refreshMinInterval.isNegative()) {
                throw new IllegalArgumentException("nsscope.scan.refresh-min-interval must not be negative");
            }
        }

        private static void requirePositive(String name, Duration value) {
            if (value != null && (value.isZero() || value.isNegative())) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
