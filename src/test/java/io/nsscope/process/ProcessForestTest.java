package io.nsscope.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessForestTest {

    private static ProcessInfo p(int pid, int ppid, String comm, Long net) {
        return p(pid, ppid, comm, net, false);
    }

    private static ProcessInfo p(int pid, int ppid, String comm, Long net, boolean kthread) {
        Map<NamespaceLink, Long> ns = net == null ? Map.of() : Map.of(NamespaceLink.NET, net);
        return new ProcessInfo(pid, ppid, 'S', comm, comm, 0, "root", List.of(pid), ns, kthread, 1, false, null, 0);
    }

    /** Renders groups as "[ns] root(pid){child(pid){...}}" for compact assertions. */
    private static List<String> render(List<ProcessForest.Group> groups) {
        List<String> out = new ArrayList<>();
        for (ProcessForest.Group g : groups) {
            StringBuilder b = new StringBuilder("[" + g.inode() + "]");
            g.roots().forEach(r -> b.append(' ').append(node(r)));
            out.add(b.toString());
        }
        return out;
    }

    private static String node(ProcessForest.Node n) {
        String label = n.process().comm() + "(" + n.process().pid() + ")";
        if (n.children().isEmpty()) {
            return label;
        }
        return label + "{"
                + String.join(
                        ",", n.children().stream().map(ProcessForestTest::node).toList()) + "}";
    }

    @Test
    void aProcessWhoseParentIsInAnotherNamespaceRootsAGroupInPreOrder() {
        List<ProcessInfo> ps = List.of(
                p(1, 0, "init", 10L),
                p(2, 0, "kthreadd", 10L, true),
                p(3, 2, "kworker", 10L, true),
                p(50, 1, "sshd", 10L),
                p(60, 50, "bash", 10L),
                p(70, 60, "unshare", 10L),
                p(71, 70, "sleep", 20L),
                p(72, 71, "sh", 20L),
                p(73, 72, "cat", 10L),
                p(80, 1, "cron", 10L));
        assertThat(render(ProcessForest.group(ps, NamespaceType.NET, false)))
                .containsExactly(
                        "[10] init(1){cron(80),sshd(50){bash(60){unshare(70)}}} cat(73)", "[20] sleep(71){sh(72)}");
    }

    @Test
    void childrenAreSortedByNameThenPid() {
        List<ProcessInfo> ps = List.of(
                p(1, 0, "init", 10L), p(9, 1, "b", 10L), p(5, 1, "b", 10L), p(7, 1, "a", 10L), p(8, 1, "Z", 10L));
        assertThat(render(ProcessForest.group(ps, NamespaceType.NET, false)))
                .containsExactly("[10] init(1){Z(8),a(7),b(5),b(9)}");
    }

    @Test
    void kernelThreadsAreHiddenUnlessAskedFor() {
        List<ProcessInfo> ps =
                List.of(p(1, 0, "init", 10L), p(2, 0, "kthreadd", 10L, true), p(3, 2, "kworker", 10L, true));
        assertThat(render(ProcessForest.group(ps, NamespaceType.NET, false))).containsExactly("[10] init(1)");
        assertThat(render(ProcessForest.group(ps, NamespaceType.NET, true)))
                .containsExactly("[10] init(1) kthreadd(2){kworker(3)}");
    }

    @Test
    void aProcessWithAnUnknownNamespaceBelongsToNoGroupButItsChildrenDo() {
        List<ProcessInfo> ps = List.of(
                p(1, 0, "init", null),
                p(10, 1, "a", 10L),
                p(11, 1, "b", 10L),
                p(12, 11, "c", null),
                p(13, 12, "d", 10L));
        assertThat(render(ProcessForest.group(ps, NamespaceType.NET, false))).containsExactly("[10] a(10) b(11) d(13)");
    }

    @Test
    void anOrphanWhoseParentIsUnknownIsARoot() {
        List<ProcessInfo> ps = List.of(p(1, 0, "init", 10L), p(500, 499, "orphan", 10L));
        assertThat(render(ProcessForest.group(ps, NamespaceType.NET, false)))
                .containsExactly("[10] init(1) orphan(500)");
    }
}
