package io.nsscope.process;

import io.nsscope.namespace.NamespaceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process tree grouped by namespace of one type, as {@code pstree -N <type>} (psmisc) groups it: a process
 * roots a group of its namespace when it has no parent or its parent is in another namespace of that type; the
 * rest of its subtree stays under it until a descendant's namespace differs again. Groups come in the order a
 * pre-order walk from the lowest PIDs meets them, and children are sorted by name, then UID, then PID, as
 * {@code pstree} sorts them.
 *
 * <p>Kernel threads are left out unless asked for ({@code pstree} walks from PID 1 and never reaches
 * {@code kthreadd}). A process whose namespace of that type is unknown (unreadable) belongs to no group, but its
 * children do.
 */
public final class ProcessForest {

    private static final Comparator<ProcessInfo> PSTREE_ORDER = Comparator.comparing(ProcessInfo::comm)
            .thenComparing(p -> p.uid() == null ? -1 : p.uid())
            .thenComparingInt(ProcessInfo::pid);

    private ProcessForest() {}

    /**
     * One node of the tree.
     *
     * @param process  the process
     * @param children its children in the same namespace, in {@code pstree} order
     */
    public record Node(ProcessInfo process, List<Node> children) {}

    /**
     * One namespace's part of the tree.
     *
     * @param inode the namespace's inode
     * @param roots the processes that start a subtree in it, in walk order
     */
    public record Group(long inode, List<Node> roots) {}

    /** Groups the processes (ascending PID) by their namespace of this type. */
    public static List<Group> group(List<ProcessInfo> processes, NamespaceType type, boolean kernelThreads) {
        Map<Integer, ProcessInfo> byPid = new HashMap<>();
        for (ProcessInfo p : processes) {
            if (kernelThreads || !p.kernelThread()) {
                byPid.put(p.pid(), p);
            }
        }
        Map<Integer, List<ProcessInfo>> children = new HashMap<>();
        List<ProcessInfo> tops = new ArrayList<>();
        for (ProcessInfo p : processes) {
            if (!byPid.containsKey(p.pid())) {
                continue;
            }
            if (p.ppid() != p.pid() && byPid.containsKey(p.ppid())) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            } else {
                tops.add(p);
            }
        }
        children.values().forEach(list -> list.sort(PSTREE_ORDER));
        Map<Long, List<Node>> groups = new LinkedHashMap<>();
        for (ProcessInfo top : tops) {
            walk(top, null, type, children, groups);
        }
        List<Group> result = new ArrayList<>(groups.size());
        groups.forEach((inode, roots) -> result.add(new Group(inode, List.copyOf(roots))));
        return result;
    }

    /** Visits a process in pre-order; returns its node when it stays in its parent's group, else null. */
    private static Node walk(
            ProcessInfo p,
            Long parentNs,
            NamespaceType type,
            Map<Integer, List<ProcessInfo>> children,
            Map<Long, List<Node>> groups) {
        Long ns = p.namespace(type);
        boolean startsGroup = ns != null && !ns.equals(parentNs);
        List<Node> kids = new ArrayList<>();
        // Register the group before the children are walked, so that groups come in pre-order.
        List<Node> group = startsGroup ? groups.computeIfAbsent(ns, k -> new ArrayList<>()) : null;
        int slot = group == null ? -1 : group.size();
        if (group != null) {
            group.add(null);
        }
        for (ProcessInfo child : children.getOrDefault(p.pid(), List.of())) {
            Node node = walk(child, ns, type, children, groups);
            if (node != null) {
                kids.add(node);
            }
        }
        Node node = new Node(p, List.copyOf(kids));
        if (group != null) {
            group.set(slot, node);
            return null;
        }
        return ns == null ? null : node;
    }
}
