package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextRenderingTest {

    @Test
    void lsnsTableAlignsLikeLibsmartcols() {
        String table = LsnsTable.render(List.of(
                NamespaceRows.row(4026531834L, "time", 37, 1361, "nix", "-bash"),
                NamespaceRows.row(4026531835L, "cgroup", 37, 1361, "nix", "-bash"),
                NamespaceRows.row(4026532212L, "user", 2, 22755, "nobody", "csh")));
        assertThat(table).isEqualTo("""
                        NS TYPE   NPROCS   PID USER   COMMAND
                4026531834 time       37  1361 nix    -bash
                4026531835 cgroup     37  1361 nix    -bash
                4026532212 user        2 22755 nobody csh
                """);
    }

    @Test
    void aNamespaceWithoutProcessesShowsWhatHoldsItInTheCommandColumn() {
        NamespaceView mounted = new NamespaceView(
                4026532469L,
                "net",
                "/run/netns/blue",
                0,
                null,
                null,
                null,
                null,
                null,
                "3",
                "/run/netns/blue",
                null,
                4026531837L,
                null,
                List.of(
                        new NamespaceView.HolderView("mount", 789, null, 4026531832L, "/run/netns/blue"),
                        new NamespaceView.HolderView("fd", 812, 3, null, null)),
                List.of(new NamespaceView.LooseThreadView(4250, 4242, "probe")),
                false,
                null,
                "sb-1");
        NamespaceView ghost = new NamespaceView(
                4026532607L,
                "user",
                null,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                4026531837L,
                4026531837L,
                0,
                List.of(),
                List.of(),
                true,
                null,
                null);
        assertThat(LsnsTable.render(List.of(mounted, ghost))).isEqualTo("""
                        NS TYPE NPROCS PID USER COMMAND
                4026532469 net       0          [mount /run/netns/blue, fd 3 of 812, thread 4250 of 4242]  [sandbox sb-1]
                4026532607 user      0          [ghost]
                """);
    }

    @Test
    void netNamespacesHaveLsns242sNetnsidAndNsfsColumnsWithOneBindMountALine() {
        NamespaceView host = new NamespaceView(
                4026531833L,
                "net",
                "/proc/2/ns/net",
                89,
                2,
                0,
                "kthreadd",
                0,
                "root",
                "1",
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                false,
                null,
                null);
        NamespaceView named = new NamespaceView(
                4026532177L,
                "net",
                "/proc/20199/ns/net",
                1,
                20199,
                1,
                "sleep 1000.77",
                0,
                "root",
                "unassigned",
                "/run/netns/nsscopeexpA\n/tmp/nsscopeexpX",
                null,
                null,
                null,
                List.of(),
                List.of(),
                false,
                null,
                null);
        // As lsns 2.42.2 -t net printed them (the second NSFS line ends with the separator of an empty COMMAND).
        assertThat(LsnsTable.render(List.of(host, named), true))
                .isEqualTo("        NS TYPE NPROCS   PID USER    NETNSID NSFS                   COMMAND\n"
                        + "4026531833 net      89     2 root          1                        kthreadd\n"
                        + "4026532177 net       1 20199 root unassigned /run/netns/nsscopeexpA sleep 1000.77\n"
                        + "                                             /tmp/nsscopeexpX       \n");
    }

    private static TreeView.TreeNode n(String name, int pid, TreeView.TreeNode... children) {
        return new TreeView.TreeNode(pid, name, name, List.of(children));
    }

    @Test
    void pstreeDrawingMatchesPstreeAscii() {
        TreeView.TreeNode tree = n(
                "memfd:sealed-91",
                1890,
                n("bash", 1891, n("bash", 3640, n("bash", 3641, n("head", 3645), n("pstree", 3644)))),
                n("{memfd:sealed-91}", 3636),
                n("{memfd:sealed-91}", 3637));
        // As printed by `pstree -pN net` (psmisc 23.6) into a pipe.
        assertThat(String.join("\n", PstreeDrawing.draw(tree, PstreeDrawing.Style.ASCII)))
                .isEqualTo("""
                memfd:sealed-91(1890)-+-bash(1891)---bash(3640)---bash(3641)-+-head(3645)
                                      |                                      `-pstree(3644)
                                      |-{memfd:sealed-91}(3636)
                                      `-{memfd:sealed-91}(3637)""");
    }

    @Test
    void pstreeDrawingUnicode() {
        TreeView.TreeNode tree = n("sleep", 2946, n("sleep", 2955), n("sleep", 2956, n("cat", 3000)));
        assertThat(String.join("\n", PstreeDrawing.draw(tree, PstreeDrawing.Style.UNICODE)))
                .isEqualTo("""
                sleep(2946)─┬─sleep(2955)
                            └─sleep(2956)───cat(3000)""");
    }

    @Test
    void treeTextHasOneHeaderPerNamespace() {
        TreeView view = new TreeView(
                "user",
                List.of(
                        new TreeView.NamespaceGroup(
                                4026531837L,
                                List.of(n("bash", 22721, n("pstree", 22768)), n("bash", 22740, n("zsh", 22752))),
                                null),
                        new TreeView.NamespaceGroup(4026532212L, List.of(n("csh", 22755, n("tcsh", 22771))), null)),
                null,
                PstreeDrawing.Style.ASCII);
        assertThat(view.toPlainText()).isEqualTo("""
                [4026531837]
                bash(22721)---pstree(22768)
                bash(22740)---zsh(22752)
                [4026532212]
                csh(22755)---tcsh(22771)
                """);
    }
}
