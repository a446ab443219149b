package io.nsscope.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nsscope.namespace.Namespace;
import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code nsscope_namespace_processes{ns_type, ns}}: one gauge per namespace, registered when the namespace appears
 * and removed when it disappears, so that no series goes stale. A namespace's gauge is never re-registered while it
 * lives (unlike a {@code MultiGauge} overwritten every scan, whose re-registration can race a scrape into duplicate
 * series), and its value is read from the current snapshot at scrape time.
 */
final class PerNamespaceGauges {

    private final MeterRegistry registry;
    private final SnapshotCache cache;
    private final Map<Long, Gauge> gauges = new HashMap<>();

    PerNamespaceGauges(MeterRegistry registry, SnapshotCache cache) {
        this.registry = registry;
        this.cache = cache;
    }

    /** Brings the gauges in line with a new snapshot (called on the scan thread only). */
    void update(Snapshot current) {
        Set<Long> live = new HashSet<>();
        for (Namespace ns : current.namespaces()) {
            live.add(ns.inode());
            gauges.computeIfAbsent(
                    ns.inode(),
                    inode -> Gauge.builder(
                                    "nsscope.namespace.processes",
                                    cache,
                                    c -> c.current()
                                            .flatMap(s -> s.namespace(inode))
                                            .map(n -> (double) n.nprocs())
                                            .orElse(Double.NaN))
                            .description("Processes in each namespace (nsscope.metrics.per-namespace=true)")
                            .tags("ns_type", ns.type().kernelName(), "ns", Long.toString(inode))
                            .register(registry));
        }
        gauges.entrySet().removeIf(entry -> {
            boolean gone = !live.contains(entry.getKey());
            if (gone) {
                registry.remove(entry.getValue());
            }
            return gone;
        });
    }

    int size() {
        return gauges.size();
    }
}
