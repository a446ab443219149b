package io.nsscope.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.nsscope.config.NsscopeProperties;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.scan.ScanFailureKind;
import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.scan.SnapshotDiff;
import io.nsscope.scan.SnapshotListener;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * nsscope's metrics, named after the Prometheus guidelines ({@code nsscope_} prefix, base units, {@code _total}
 * counters, {@code ns_type} rather than {@code type}). Gauges read the current snapshot at scrape time, so a scrape
 * never scans procfs; the scan timer and the created/destroyed counters are fed by each scan as it lands. (The
 * counters are not named {@code ..._created_total}: Prometheus reserves the {@code _created} suffix.)
 */
@Component
class NamespaceMetrics implements SnapshotListener {

    private final Timer scanDuration;
    private final Map<NamespaceType, Counter> created = new EnumMap<>(NamespaceType.class);
    private final Map<NamespaceType, Counter> destroyed = new EnumMap<>(NamespaceType.class);
    private final PerNamespaceGauges perNamespace;

    NamespaceMetrics(MeterRegistry registry, SnapshotCache cache, NsscopeProperties properties) {
        for (NamespaceType type : NamespaceType.values()) {
            Tags tags = Tags.of("ns_type", type.kernelName());
            gauge(
                            cache,
                            "nsscope.namespaces",
                            "Namespaces of this type found by the last scan, with or without " + "processes",
                            s -> s.namespaceCount(type))
                    .tags(tags)
                    .register(registry);
            gauge(
                            cache,
                            "nsscope.namespaces.without.processes",
                            "Namespaces of this type that no process is in: "
                                    + "held by a bind mount, a descriptor, a socket, a thread or a descendant",
                            s -> s.persistentCount(type))
                    .tags(tags)
                    .register(registry);
            created.put(
                    type,
                    Counter.builder("nsscope.namespace.creations")
                            .tags(tags)
                            .description("Namespaces that appeared between two scans, since nsscope started")
                            .register(registry));
            destroyed.put(
                    type,
                    Counter.builder("nsscope.namespace.destructions")
                            .tags(tags)
                            .description("Namespaces that disappeared between two scans, since nsscope started")
                            .register(registry));
        }
        gauge(
                        cache,
                        "nsscope.processes",
                        "Processes read by the last scan",
                        s -> s.counts().processes())
                .register(registry);
        gauge(
                        cache,
                        "nsscope.threads",
                        "Threads of the processes read by the last scan",
                        s -> s.counts().threads())
                .register(registry);
        gauge(
                        cache,
                        "nsscope.processes.unreadable",
                        "Processes of the last scan kept with part of their data, some file being denied",
                        s -> s.counts().unreadable())
                .register(registry);
        gauge(
                        cache,
                        "nsscope.processes.vanished",
                        "Processes that exited while the last scan read them",
                        s -> s.counts().vanished())
                .register(registry);
        gauge(
                        cache,
                        "nsscope.snapshot.timestamp",
                        "Unix time when the served snapshot's scan started",
                        s -> s.takenAt().toEpochMilli() / 1000.0)
                .baseUnit("seconds")
                .register(registry);
        scanDuration = Timer.builder("nsscope.scan.duration")
                .description("Duration of the scans of procfs")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry);
        FunctionCounter.builder("nsscope.scans", cache, SnapshotCache::scans)
                .description("Scans of procfs run since nsscope started")
                .register(registry);
        FunctionCounter.builder("nsscope.scans.abandoned", cache, SnapshotCache::abandonedScans)
                .description("Background scans given up for a ?refresh=true scan that had to start after them "
                        + "(counted in nsscope_scans_total too)")
                .register(registry);
        for (ScanFailureKind kind : ScanFailureKind.values()) {
            FunctionCounter.builder("nsscope.scans.failed", cache, c -> c.failedScans(kind))
                    .description("Scans of procfs that failed since nsscope started, by reason: procfs (the procfs "
                            + "as a whole cannot be read), bug (an exception of nsscope's), error (a JVM Error)")
                    .tag("reason", kind.label())
                    .register(registry);
        }
        Gauge.builder("nsscope.snapshot.stale", cache, c -> c.stale() ? 1 : 0)
                .description("1 when no scan has succeeded for nsscope.scan.stale-after-intervals intervals (readiness "
                        + "is then DOWN), else 0")
                .register(registry);
        Gauge.builder(
                        "nsscope.snapshot.age",
                        cache,
                        c -> c.age().map(a -> a.toNanos() / 1e9).orElse(Double.NaN))
                .description("Seconds since the served snapshot's scan started")
                .baseUnit("seconds")
                .register(registry);
        perNamespace = properties.metrics().perNamespace() ? new PerNamespaceGauges(registry, cache) : null;
    }

    @Override
    public void onSnapshot(Snapshot previous, Snapshot current, SnapshotDiff diff) {
        scanDuration.record(current.duration());
        diff.created().forEach(ns -> created.get(ns.type()).increment());
        diff.destroyed().forEach(ns -> destroyed.get(ns.type()).increment());
        if (perNamespace != null) {
            perNamespace.update(current);
        }
    }

    private static Gauge.Builder<SnapshotCache> gauge(
            SnapshotCache cache, String name, String help, ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(
                        name, cache, c -> c.current().map(value::applyAsDouble).orElse(Double.NaN))
                .description(help);
    }
}
