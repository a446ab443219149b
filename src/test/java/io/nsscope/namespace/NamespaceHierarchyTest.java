package io.nsscope.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceHierarchyTest {

    private static Namespace ns(long inode, NamespaceType type, Long parent, Long owner, int... pids) {
        List<Integer> list = new ArrayList<>();
        for (int pid : pids) {
            list.add(pid);
        }
        return new Namespace(inode, type, list, parent, owner, null, List.of(), List.of(), null, false, null, null);
    }

    private static Namespace ghost(long inode, NamespaceType type, Long parent, Long owner) {
        return new Namespace(inode, type, List.of(), parent, owner, null, List.of(), List.of(), null, true, null, null);
    }

    /** The tree as indented inodes, one a line, to compare whole shapes at once. */
    private static String outline(List<NamespaceHierarchy.Node> roots) {
        StringBuilder out = new StringBuilder();
        roots.forEach(r -> outline(r, 0, out));
        return out.toString();
    }

    private static void outline(NamespaceHierarchy.Node node, int depth, StringBuilder out) {
        out.append("  ".repeat(depth))
                .append(node.namespace().inode())
                .append(' ')
                .append(node.namespace().type().kernelName())
                .append(node.namespace().ghost() ? " ghost" : "")
                .append('\n');
        node.children().forEach(c -> outline(c, depth + 1, out));
    }

    private static final NamespaceType USER = NamespaceType.USER;
    private static final NamespaceType PID = NamespaceType.PID;
    private static final NamespaceType NET = NamespaceType.NET;

    /** The host's user namespace 1, a child 10 with a ghost child 20, whose child 30 has a process; 11 another child. */
    private static final List<Namespace> HOST = List.of(
            ns(30, USER, 20L, 20L, 700),
            ns(1, USER, null, null, 1, 2),
            ns(11, USER, 1L, 1L, 600),
            ghost(20, USER, 10L, 10L),
            ns(10, USER, 1L, 1L, 500),
            ns(2, PID, null, 1L, 1, 2),
            ns(12, PID, 2L, 10L, 500),
            ns(22, PID, 12L, 30L, 701),
            ns(32, PID, 22L, 30L, 702),
            ns(3, NET, null, 1L, 1),
            ns(13, NET, null, 30L, 700),
            ns(14, NET, null, 11L, 600),
            ns(15, NET, null, null, 800));

    @Test
    void userNamespacesNestThreeDeepWithAGhostInTheMiddle() {
        assertThat(outline(NamespaceHierarchy.byParent(HOST, USER))).isEqualTo("""
                1 user
                  10 user
                    20 user ghost
                      30 user
                  11 user
                """);
    }

    @Test
    void pidNamespacesNestByParentNotByOwner() {
        assertThat(outline(NamespaceHierarchy.byParent(HOST, PID))).isEqualTo("""
                2 pid
                  12 pid
                    22 pid
                      32 pid
                """);
    }

    @Test
    void ownerTreeHangsEachNamespaceUnderItsOwnerAndPrunesUserNamespacesOwningNone() {
        assertThat(outline(NamespaceHierarchy.byOwner(HOST, NET))).isEqualTo("""
                1 user
                  3 net
                  10 user
                    20 user ghost
                      30 user
                        13 net
                  11 user
                    14 net
                15 net
                """);
        assertThat(outline(NamespaceHierarchy.byOwner(HOST, PID))).isEqualTo("""
                1 user
                  2 pid
                  10 user
                    12 pid
                    20 user ghost
                      30 user
                        22 pid
                        32 pid
                """);
    }

    @Test
    void ownerTreeOfUserNamespacesIsTheParentTree() {
        assertThat(NamespaceHierarchy.byOwner(HOST, USER)).isEqualTo(NamespaceHierarchy.byParent(HOST, USER));
    }

    @Test
    void unknownOrMissingParentsAndOwnersMakeRoots() {
        List<Namespace> partial = List.of(
                ns(10, USER, 1L, 1L, 500), // its parent 1 was not seen
                ns(11, USER, 10L, 10L, 501),
                ns(12, USER, null, null, 502), // EPERM
                ns(13, NET, null, 99L, 503), // owner not seen
                ns(14, NET, null, 11L, 504));
        assertThat(outline(NamespaceHierarchy.byParent(partial, USER))).isEqualTo("""
                10 user
                  11 user
                12 user
                """);
        assertThat(outline(NamespaceHierarchy.byOwner(partial, NET))).isEqualTo("""
                10 user
                  11 user
                    14 net
                13 net
                """);
    }

    @Test
    void loopsAreCutAndEveryNamespaceAppearsOnce() {
        List<Namespace> broken = List.of(
                ns(5, PID, 5L, null, 1), // its own parent
                ns(7, PID, 8L, null, 2), // 7 and 8 are each other's parent
                ns(8, PID, 7L, null, 3),
                ns(9, PID, 8L, null, 4));
        assertThat(outline(NamespaceHierarchy.byParent(broken, PID))).isEqualTo("""
                5 pid
                7 pid
                  8 pid
                    9 pid
                """);
        List<Namespace> users = List.of(ns(7, USER, 8L, 8L, 2), ns(8, USER, 7L, 7L, 3), ns(20, NET, null, 8L, 4));
        assertThat(outline(NamespaceHierarchy.byOwner(users, NET))).isEqualTo("""
                7 user
                  8 user
                    20 net
                """);
    }

    @Test
    void onlyPidAndUserNamespacesHaveParents() {
        assertThat(NamespaceHierarchy.hasParents(PID)).isTrue();
        assertThat(NamespaceHierarchy.hasParents(NET)).isFalse();
        // no parents: every namespace of the type is a root, as lsns --tree=parent -t net lists them
        assertThat(NamespaceHierarchy.byParent(HOST, NET))
                .allMatch(node -> node.children().isEmpty())
                .extracting(node -> node.namespace().inode())
                .containsExactlyElementsOf(HOST.stream()
                        .filter(ns -> ns.type() == NET)
                        .map(Namespace::inode)
                        .sorted()
                        .toList());
        assertThat(NamespaceHierarchy.byParent(List.of(), USER)).isEmpty();
    }
}
