package io.nsscope.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * nsscope's configuration, under the {@code nsscope.} prefix. Every property is listed in docs/configuration.md.
 *
 * @param procfs   where the host's procfs is
 * @param scan     how often and how hard to scan it
 * @param metrics  what to export to Prometheus
 * @param events   the live event stream
 * @param nodeName the name of this node, a common tag of every metric; unset: the host name
 * @param sandbox  the privileged {@code /sandboxes} endpoint
 * @param api      guards of the whole API
 */
@Validated
@ConfigurationProperties("nsscope")
public record NsscopeProperties(
        @Valid @DefaultValue Procfs procfs,
        @Valid @DefaultValue Scan scan,
        @Valid @DefaultValue Metrics metrics,
        @Valid @DefaultValue Events events,
        String nodeName,
        @Valid @DefaultValue Sandbox sandbox,
        @Valid @DefaultValue Api api) {

    /**
     * The privileged {@code /sandboxes} endpoint. Off by default; enabled, it needs a bearer token of at least 32
     * characters, from {@code token} or {@code tokenFile} (checked when the service starts, not when binding).
     *
     * @param enabled              whether {@code /sandboxes} creates anything; off: it answers 403
     * @param token                the bearer token the sandbox requests must carry
     * @param tokenFile            a file holding that token (trailing whitespace ignored), e.g. a mounted Secret
     * @param uidPool              {@code first-last}: the host UIDs (and GIDs) sandboxes run as, one per sandbox
     *                             unless explicit id maps take a range; must not contain 0
     * @param maxConcurrent        running sandboxes at once; more get 429
     * @param creationsPerMinute   sandbox creations per minute (a token bucket); more get 429
     * @param defaultTtl           the lifetime of a sandbox whose request names none
     * @param maxTtl               the longest lifetime a request may ask for
     * @param allowedExecutables   glob patterns ({@code java.nio} syntax) that {@code command[0]} must match; empty
     *                             (the default): nothing may run until the operator lists what may
     * @param logTail              how much of a sandbox's stdout and stderr is kept (the last bytes)
     * @param startTimeout         how long a sandbox may take to start before it is killed and the request fails
     * @param onStartup            what to do with sandboxes a previous run left behind: {@code kill} or
     *                             {@code adopt}
     * @param uidQuarantine        how long a pool UID rests after its sandbox ended (and no process of it is left)
     *                             before another sandbox may get it
     * @param cgroup               the cgroup v2 leaf each sandbox runs in
     * @param requiredNamespaces   the namespace types every sandbox must have new, whatever its request asks; the
     *                             default keeps a sandbox off the pod's network (nsscope's own API on 127.0.0.1
     *                             included), its SysV IPC, its /tmp and its processes
     */
    public record Sandbox(
            @DefaultValue("false") boolean enabled,
            String token,
            Path tokenFile,

            @NotNull @Pattern(regexp = "[1-9][0-9]{0,9}-[1-9][0-9]{0,9}") @DefaultValue("200000-265535")
            String uidPool,

            @Min(1) @Max(1024) @DefaultValue("8") int maxConcurrent,
            @Min(1) @Max(100000) @DefaultValue("120") int creationsPerMinute,
            @NotNull @DefaultValue("10m") Duration defaultTtl,
            @NotNull @DefaultValue("1h") Duration maxTtl,
            @NotNull @DefaultValue({}) List<String> allowedExecutables,
            @NotNull @DefaultValue("64KB") DataSize logTail,
            @NotNull @DefaultValue("10s") Duration startTimeout,
            @NotNull @DefaultValue("kill") OnStartup onStartup,
            @NotNull @DefaultValue("2s") Duration uidQuarantine,
            @Valid @DefaultValue Cgroup cgroup,

            @NotNull @DefaultValue({"ipc", "mnt", "net", "pid"})
            List<@Pattern(regexp = "cgroup|ipc|mnt|net|pid|time|user|uts") String> requiredNamespaces) {

        public Sandbox {
            Scan.requirePositive("nsscope.sandbox.default-ttl", defaultTtl);
            Scan.requirePositive("nsscope.sandbox.max-ttl", maxTtl);
            Scan.requirePositive("nsscope.sandbox.start-timeout", startTimeout);
            if (uidQuarantine != null && uidQuarantine.isNegative()) {
                throw new IllegalArgumentException("nsscope.sandbox.uid-quarantine must not be negative");
            }
            if (defaultTtl != null && maxTtl != null && defaultTtl.compareTo(maxTtl) > 0) {
                throw new IllegalArgumentException(
                        "nsscope.sandbox.default-ttl must not exceed nsscope.sandbox.max-ttl");
            }
            if (uidPool != null && uidPool.matches("[0-9]+-[0-9]+")) {
                String[] range = uidPool.split("-");
                long first = Long.parseLong(range[0]);
                long last = Long.parseLong(range[1]);
                if (first > last || last >= 4294967295L) {
                    throw new IllegalArgumentException("nsscope.sandbox.uid-pool must be first-last with 0 < first"
                            + " <= last < 4294967295, was " + uidPool);
                }
            }
        }

        /**
         * The cgroup v2 leaves of sandboxes: each sandbox runs in {@code <parent>/<id>}, with these limits, and
         * ends as a whole through {@code cgroup.kill}. A limit whose controller the parent cannot enable (it is
         * bound to a cgroup v1 hierarchy, or not delegated) is not set; the sandbox shows which were.
         *
         * @param parent    the cgroup v2 directory the leaves are made in; unset: {@code nsscope-sandboxes} below
         *                  nsscope's own cgroup (where nsscope, if its cgroup is not the root, first moves itself
         *                  into a leaf {@code nsscope} beside it, as cgroup v2 wants processes only in leaves)
         * @param pidsMax   {@code pids.max}: processes and threads at once
         * @param memoryMax {@code memory.max}: memory before the kernel reclaims and then kills in the sandbox
         * @param cpuMax    {@code cpu.max}: {@code "QUOTA PERIOD"} in microseconds, {@code "50000 100000"} is half a
         *                  CPU
         */
        public record Cgroup(
                Path parent,
                @Min(1) @Max(4194304) @DefaultValue("256") int pidsMax,
                @NotNull @DefaultValue("256MB") DataSize memoryMax,

                @NotNull @Pattern(regexp = "(max|[1-9][0-9]{0,9}) [1-9][0-9]{2,6}") @DefaultValue("50000 100000")
                String cpuMax) {}

        /** The pool's first UID. */
        public long uidPoolFirst() {
            return Long.parseLong(uidPool.split("-")[0]);
        }

        /** The pool's last UID. */
        public long uidPoolLast() {
            return Long.parseLong(uidPool.split("-")[1]);
        }
    }

    /** What to do at startup with the sandboxes a previous run of nsscope left running. */
    public enum OnStartup {
        /** Kill them: nothing nsscope does not track keeps running. */
        KILL,
        /** Track them again (state, TTL from now, DELETE); their logs and exit status are lost. */
        ADOPT
    }

    /**
     * Who may call what (docs/security.md). Without a token the read endpoints are open, so the service listens on
     * 127.0.0.1 unless {@code server.address} says otherwise.
     *
     * @param token              when set, every endpoint needs {@code Authorization: Bearer <token>} (at least 32
     *                           characters), but the liveness and readiness probes, {@code /actuator/health}'s status
     *                           and the browser page's static files; {@code /sandboxes} needs the sandbox token
     * @param tokenFile          a file holding that token (trailing whitespace ignored), e.g. a mounted Secret
     * @param redactCommandArgs  show only the executable in every {@code command} field (command lines can hold
     *                           secrets)
     * @param maxBodySize        the largest request body any endpoint reads, with a {@code Content-Length} or
     *                           chunked; larger: 413 before any of it is parsed
     * @param maxRendersInFlight answers the response cache renders at once (each held whole in memory until
     *                           cached); a render that finds none free within a moment gets 503 with
     *                           {@code Retry-After}, while cached answers are still served
     */
    public record Api(
            String token,
            Path tokenFile,
            @DefaultValue("false") boolean redactCommandArgs,
            @NotNull @DefaultValue("64KB") DataSize maxBodySize,
            @Min(1) @Max(256) @DefaultValue("4") int maxRendersInFlight) {

        public Api {
            if (token != null && !token.isEmpty() && token.strip().length() < 32) {
                throw new IllegalArgumentException("nsscope.api.token must have at least 32 characters");
            }
            if (maxBodySize != null && (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > 16L * 1024 * 1024)) {
                throw new IllegalArgumentException(
                        "nsscope.api.max-body-size must be between 1B and 16MB, was " + maxBodySize);
            }
        }
    }

    /**
     * @param perNamespace also export one series per namespace (processes in it); off by default: a busy host has
     *                     thousands of namespaces
     */
    public record Metrics(@DefaultValue("false") boolean perNamespace) {}

    /**
     * @param maxSubscribers    concurrent {@code /events} streams; more get 503 with {@code Retry-After}
     * @param buffer            events kept for clients that reconnect with {@code Last-Event-ID}
     * @param heartbeat         how often an idle stream gets a comment, so that proxies keep it open
     * @param maxQueuedPerClient events waiting for one slow client before it is dropped
     */
    public record Events(
            @Min(1) @Max(10000) @DefaultValue("32") int maxSubscribers,
            @Min(1) @Max(1000000) @DefaultValue("10000") int buffer,
            @NotNull @DefaultValue("15s") Duration heartbeat,
            @Min(1) @Max(1000000) @DefaultValue("1000") int maxQueuedPerClient) {}

    /**
     * @param root   the procfs to read: {@code /proc}, or the host's procfs mounted elsewhere
     *               ({@code /host/proc} in the DaemonSet)
     * @param passwd the password file that names UIDs; unset: {@code /etc/passwd} when {@code root} is
     *               {@code /proc}, else {@code <root>/1/root/etc/passwd} (the host's, seen through its init)
     */
    public record Procfs(@NotNull @DefaultValue("/proc") Path root, Path passwd) {}

    /**
     * @param interval           the delay between the end of one background scan and the start of the next
     * @param refreshMinInterval the least time between the starts of two scans asked for with
     *                           {@code ?refresh=true}: callers in between wait and share the next one
     * @param refreshTimeout     how long a {@code ?refresh=true} request waits for its scan before it gets 503
     * @param parallelism        how many threads read processes during a scan
     * @param sources            what a scan reads besides each process's own namespaces
     * @param staleAfterIntervals after how many {@code interval}s without a successful scan the snapshot is stale:
     *                           readiness goes DOWN and {@code nsscope_snapshot_stale} is 1, until a scan succeeds
     */
    public record Scan(
            @NotNull @DefaultValue("2s") Duration interval,
            @NotNull @DefaultValue("500ms") Duration refreshMinInterval,
            @NotNull @DefaultValue("10s") Duration refreshTimeout,
            @Min(1) @Max(64) @DefaultValue("2") int parallelism,
            @Valid @DefaultValue Sources sources,
            @Min(2) @Max(10000) @DefaultValue("5") int staleAfterIntervals) {

        /**
         * @param threads   every thread's namespaces, to find threads whose namespaces differ from their process's
         * @param fds       every process's open descriptors, to find namespaces held by one
         * @param mounts    the nsfs bind mounts of every mount namespace
         * @param hierarchy owner, parent and owner UID through the nsfs ioctls, net namespace IDs, and ancestors
         *                  held by nothing else
         * @param sockets   network namespaces held only by a socket, as lsns 2.42 finds them (pidfd_getfd +
         *                  SIOCGSKNS on the sockets of every process, spread over scans like descriptors)
         */
        public record Sources(
                @DefaultValue("true") boolean threads,
                @DefaultValue("true") boolean fds,
                @DefaultValue("true") boolean mounts,
                @DefaultValue("true") boolean hierarchy,
                @DefaultValue("true") boolean sockets) {}

        public Scan {
            requirePositive("nsscope.scan.interval", interval);
            requirePositive("nsscope.scan.refresh-timeout", refreshTimeout);
            if (refreshMinInterval != null && refreshMinInterval.isNegative()) {
                throw new IllegalArgumentException("nsscope.scan.refresh-min-interval must not be negative");
            }
        }

        static void requirePositive(String name, Duration value) {
            if (value != null && (value.isZero() || value.isNegative())) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
