package io.nsscope.scan;

import io.nsscope.namespace.Namespace;
import java.util.ArrayList;
import java.util.List;

/**
 * What changed between two consecutive snapshots: the namespaces that appeared and those that disappeared (a
 * namespace is known by its inode; an inode reused by the kernel for a new namespace of another type counts as
 * one destroyed and one created).
 *
 * @param created   namespaces in the newer snapshot only, by inode
 * @param destroyed namespaces in the older snapshot only, by inode
 */
public record SnapshotDiff(List<Namespace> created, List<Namespace> destroyed) {

    public SnapshotDiff {
        created = List.copyOf(created);
        destroyed = List.copyOf(destroyed);
    }

    /** The changes from {@code older} to {@code newer}; nothing when there is no older snapshot. */
    public static SnapshotDiff between(Snapshot older, Snapshot newer) {
        if (older == null || older.namespaces() == newer.namespaces()) {
            return new SnapshotDiff(List.of(), List.of()); // none before, or a scan that found the same state
        }
        List<Namespace> created = new ArrayList<>();
        for (Namespace ns : newer.namespaces()) {
            if (!sameNamespace(older, ns)) {
                created.add(ns);
            }
        }
        List<Namespace> destroyed = new ArrayList<>();
        for (Namespace ns : older.namespaces()) {
            if (!sameNamespace(newer, ns)) {
                destroyed.add(ns);
            }
        }
        return new SnapshotDiff(created, destroyed);
    }

    private static boolean sameNamespace(Snapshot snapshot, Namespace ns) {
        return snapshot.namespace(ns.inode())
                .map(other -> other.type() == ns.type())
                .orElse(false);
    }
}
