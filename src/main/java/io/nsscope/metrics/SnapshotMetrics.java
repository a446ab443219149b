package io.nsscope.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * nsscope's own metrics, read from the current snapshot at scrape time (a scrape never scans procfs): namespaces per
 * type, processes, unreadable and vanished processes, the last scan's duration and time, scans and failed scans.
 */
@Component
class SnapshotMetrics implements MeterBinder {

    private final SnapshotCache cache;

    SnapshotMetrics(SnapshotCache cache) {
        this.cache = cache;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (NamespaceType type : NamespaceType.values()) {
            gauge("nsscope.namespaces", "Namespaces of this type that have at least one process",
                    s -> s.namespaces().stream().filter(ns -> ns.type() == type).count())
                    .tag("ns_type", type.kernelName()).register(registry);
        }
        gauge("nsscope.processes", "Processes read by the last scan", s -> s.counts().processes())
                .register(registry);
        gauge("nsscope.processes.unreadable", "Processes of the last scan with some file denied",
                s -> s.counts().unreadable()).register(registry);
        gauge("nsscope.processes.vanished", "Processes that exited while the last scan read them",
                s -> s.counts().vanished()).register(registry);
        gauge("nsscope.scan.duration", "Duration of the last scan", s -> s.duration().toNanos() / 1e9)
                .baseUnit("seconds").register(registry);
        gauge("nsscope.snapshot.timestamp", "When the current snapshot's scan started, Unix time",
                s -> s.takenAt().toEpochMilli() / 1e3).baseUnit("seconds").register(registry);
        FunctionCounter.builder("nsscope.scans", cache, SnapshotCache::scans)
                .description("Scans run since start").register(registry);
        FunctionCounter.builder("nsscope.scans.failed", cache, SnapshotCache::failedScans)
                .description("Scans that failed since start").register(registry);
    }

    private Gauge.Builder<SnapshotCache> gauge(String name, String help,
            ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(name, cache, c -> c.current().map(value::applyAsDouble).orElse(Double.NaN))
                .description(help);
    }
}
