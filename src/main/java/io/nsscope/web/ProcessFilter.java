package io.nsscope.web;

import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.Container;
import io.nsscope.process.ProcessInfo;
import io.nsscope.web.problem.InvalidParameterException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The filters of {@code GET /processes}, parsed and validated (a malformed value is a 400 naming the parameter).
 * They combine with AND. The container filters also serve {@code /namespaces} through
 * {@link #containerMatches(Container, String, String)}.
 */
final class ProcessFilter {

    private ProcessFilter() {}

    /** The query parameter that filters by membership in a namespace of this type, named as {@code ps -o} names it. */
    static String parameter(NamespaceType type) {
        return type.kernelName() + "ns";
    }

    /**
     * The predicate for the given values, each null when absent.
     *
     * @param ns        a namespace inode on any of the ten links ({@code pid_for_children} included)
     * @param byType    per type, a namespace inode the process must be in (its membership link)
     * @param container a container ID prefix
     * @param pod       a pod UID (dashes or underscores) or podman pod ID
     */
    static Predicate<ProcessInfo> of(String ns, Map<NamespaceType, String> byType, String container, String pod) {
        Predicate<ProcessInfo> filter = p -> true;
        if (ns != null) {
            long inode = Params.inode("ns", ns);
            filter = filter.and(p -> p.namespaces().containsValue(inode));
        }
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        byType.forEach((type, value) -> {
            if (value != null) {
                inodes.put(type, Params.inode(parameter(type), value));
            }
        });
        if (!inodes.isEmpty()) {
            filter = filter.and(p ->
                    inodes.entrySet().stream().allMatch(e -> Objects.equals(p.namespace(e.getKey()), e.getValue())));
        }
        String id = containerPrefix(container);
        String podUid = podUid(pod);
        if (id != null || podUid != null) {
            filter = filter.and(p -> containerMatches(p.container(), id, podUid));
        }
        return filter;
    }

    /** Whether a container matches an ID prefix and a pod UID (each null for any), as validated here. */
    static boolean containerMatches(Container c, String idPrefix, String podUid) {
        if (c == null) {
            return false;
        }
        return (idPrefix == null || c.idStartsWith(idPrefix)) && (podUid == null || podUid.equals(c.podUid()));
    }

    /** Validates {@code ?container=}: a non-empty ID prefix or name without '/' and blanks; null when absent. */
    static String containerPrefix(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || !value.matches("[A-Za-z0-9_.:@-]+")) {
            throw new InvalidParameterException(
                    "container",
                    "'" + value + "' is not a container ID prefix: use the "
                            + "first characters of a container ID (hex digits) or a container's name.",
                    null);
        }
        return value;
    }

    /** Validates {@code ?pod=}: a pod UID, underscores (as cgroup paths have them) taken as dashes; null when absent. */
    static String podUid(String value) {
        if (value == null) {
            return null;
        }
        String uid = value.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (!uid.matches("[0-9a-f-]{12,64}")) {
            throw new InvalidParameterException(
                    "pod",
                    "'" + value + "' is not a pod UID: a Kubernetes pod UID "
                            + "(like 6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f) or a podman pod ID is expected.",
                    null);
        }
        return uid;
    }
}
