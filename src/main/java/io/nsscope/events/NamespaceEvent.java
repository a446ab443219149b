package io.nsscope.events;

import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import java.time.Instant;

/**
 * One change in the host's namespaces, as {@code GET /events} streams it.
 *
 * @param id        increasing within a run of nsscope; the SSE event id
 * @param event     {@code namespace-created}, {@code namespace-destroyed} or {@code reset}
 * @param type      the namespace's type (null for {@code reset})
 * @param ns        the namespace's inode (null for {@code reset})
 * @param pid       its lowest PID in the snapshot that saw it (created: the new one; destroyed: the last one);
 *                  null for a namespace without processes
 * @param command   that process's command line
 * @param container the ID (or name) of the container its lowest-PID process runs in, from its cgroup; null when
 *                  none is recognised
 * @param at        when the scan that saw the change started
 */
public record NamespaceEvent(
        long id, String event, String type, Long ns, Integer pid, String command, String container, Instant at) {

    public static final String CREATED = "namespace-created";
    public static final String DESTROYED = "namespace-destroyed";
    public static final String RESET = "reset";

    static NamespaceEvent of(long id, String event, Namespace ns, Snapshot seenIn, Instant at) {
        ProcessInfo p =
                ns.lowestPid() == null ? null : seenIn.process(ns.lowestPid()).orElse(null);
        return new NamespaceEvent(
                id,
                event,
                ns.type().kernelName(),
                ns.inode(),
                ns.lowestPid(),
                p == null ? null : p.command(),
                p == null || p.container() == null ? null : p.container().containerId(),
                at);
    }

    /** Tells a client that events it missed are gone: re-read {@code /namespaces}, then follow the stream. */
    static NamespaceEvent reset(long id, Instant at) {
        return new NamespaceEvent(id, RESET, null, null, null, null, null, at);
    }

    boolean isOf(java.util.Set<NamespaceType> types) {
        return types.isEmpty()
                || type == null
                || NamespaceType.fromKernelName(type).map(types::contains).orElse(false);
    }
}
