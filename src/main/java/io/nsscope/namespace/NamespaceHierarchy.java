package io.nsscope.namespace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The namespace trees {@code lsns -T} draws, built from namespace records alone: {@code parent} nests pid or user
 * namespaces under their parents ({@code NS_GET_PARENT}), {@code owner} nests the namespaces of one type under the
 * user namespaces that own them ({@code NS_GET_USERNS}), those user namespaces nested by parent.
 *
 * <p>Every namespace of the requested type appears exactly once. A namespace whose parent (or owner) is unknown
 * (null), itself, or not among the records is a root. Siblings and roots are sorted by inode. Relations that loop
 * (which the kernel never reports, but a broken record may) are cut where a walk from the lowest inode meets them
 * again, so that the result is always a finite forest.
 */
public final class NamespaceHierarchy {

    /**
     * One namespace and the namespaces under it.
     *
     * @param namespace the namespace
     * @param children  its child (or owned) namespaces, by inode
     */
    public record Node(Namespace namespace, List<Node> children) {

        public Node {
            children = List.copyOf(children);
        }
    }

    /** The types whose namespaces have parents (ioctl_ns(2): {@code NS_GET_PARENT}). */
    public static final Set<NamespaceType> HIERARCHICAL = Set.of(NamespaceType.PID, NamespaceType.USER);

    private NamespaceHierarchy() {}

    /** Whether namespaces of this type have parents: pid and user namespaces. */
    public static boolean hasParents(NamespaceType type) {
        return HIERARCHICAL.contains(type);
    }

    /**
     * The namespaces of a type nested under their parents ({@code lsns --tree=parent -t TYPE}): pid and user
     * namespaces by {@code NS_GET_PARENT}; the namespaces of another type, which have no parents, each a root, as
     * lsns 2.42 lists them.
     */
    public static List<Node> byParent(Collection<Namespace> namespaces, NamespaceType type) {
        List<Namespace> members = namespaces.stream()
                .filter(ns -> ns.type() == type)
                .sorted(Comparator.comparingLong(Namespace::inode))
                .toList();
        Map<Long, List<Namespace>> children = new HashMap<>();
        Set<Long> inodes = new HashSet<>();
        members.forEach(ns -> inodes.add(ns.inode()));
        List<Namespace> roots = new ArrayList<>();
        for (Namespace ns : members) {
            Long parent = hasParents(type) ? ns.parent() : null;
            if (parent == null || parent == ns.inode() || !inodes.contains(parent)) {
                roots.add(ns);
            } else {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(ns);
            }
        }
        return forest(members, roots, children);
    }

    /**
     * The namespaces of one type under the user namespaces that own them, those nested by parent
     * ({@code lsns -T owner -t TYPE}). User namespaces that lead to none of them are left out. For the user type,
     * the owner of a user namespace is its parent, so this is {@link #byParent}. A namespace whose owner is unknown
     * (null) or not among the records is a root.
     */
    public static List<Node> byOwner(Collection<Namespace> namespaces, NamespaceType type) {
        if (type == NamespaceType.USER) {
            return byParent(namespaces, type);
        }
        List<Node> skeleton = byParent(namespaces, NamespaceType.USER);
        Set<Long> users = new HashSet<>();
        namespaces.stream().filter(ns -> ns.type() == NamespaceType.USER).forEach(ns -> users.add(ns.inode()));
        Map<Long, List<Namespace>> owned = new TreeMap<>();
        List<Node> roots = new ArrayList<>();
        namespaces.stream()
                .filter(ns -> ns.type() == type)
                .sorted(Comparator.comparingLong(Namespace::inode))
                .forEach(ns -> {
                    if (ns.owner() != null && users.contains(ns.owner())) {
                        owned.computeIfAbsent(ns.owner(), k -> new ArrayList<>())
                                .add(ns);
                    } else {
                        roots.add(new Node(ns, List.of()));
                    }
                });
        for (Node user : skeleton) {
            Node kept = attach(user, owned);
            if (kept != null) {
                roots.add(kept);
            }
        }
        roots.sort(Comparator.comparingLong(n -> n.namespace().inode()));
        return List.copyOf(roots);
    }

    /** A user namespace's node with its owned namespaces added, or null if neither it nor a descendant owns any. */
    private static Node attach(Node user, Map<Long, List<Namespace>> owned) {
        List<Node> children = new ArrayList<>();
        for (Node child : user.children()) {
            Node kept = attach(child, owned);
            if (kept != null) {
                children.add(kept);
            }
        }
        for (Namespace ns : owned.getOrDefault(user.namespace().inode(), List.of())) {
            children.add(new Node(ns, List.of()));
        }
        if (children.isEmpty()) {
            return null;
        }
        children.sort(Comparator.comparingLong(n -> n.namespace().inode()));
        return new Node(user.namespace(), children);
    }

    /**
     * Builds the nodes under each root; namespaces left unreached (their parents loop) become roots in turn, lowest
     * inode first, each cutting the loop's edge back to it.
     */
    private static List<Node> forest(
            List<Namespace> members, List<Namespace> roots, Map<Long, List<Namespace>> children) {
        Set<Long> seen = new HashSet<>();
        List<Node> out = new ArrayList<>();
        for (Namespace root : roots) {
            out.add(build(root, children, seen));
        }
        for (Namespace ns : members) {
            if (!seen.contains(ns.inode())) {
                out.add(build(ns, children, seen));
            }
        }
        out.sort(Comparator.comparingLong(n -> n.namespace().inode()));
        return List.copyOf(out);
    }

    private static Node build(Namespace ns, Map<Long, List<Namespace>> children, Set<Long> seen) {
        seen.add(ns.inode());
        List<Node> nodes = new ArrayList<>();
        for (Namespace child : children.getOrDefault(ns.inode(), List.of())) {
            if (!seen.contains(child.inode())) {
                nodes.add(build(child, children, seen));
            }
        }
        return new Node(ns, nodes);
    }
}
