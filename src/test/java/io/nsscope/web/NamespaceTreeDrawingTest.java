package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceTreeDrawingTest {

    private static NamespaceTreeView.NamespaceNode n(NamespaceView row, NamespaceTreeView.NamespaceNode... children) {
        return new NamespaceTreeView.NamespaceNode(row, List.of(children));
    }

    private static final List<NamespaceTreeView.NamespaceNode> TREE = List.of(
            n(
                    NamespaceRows.row(4026531837L, "user", 75, 2, "root", "kthreadd", false),
                    n(
                            NamespaceRows.row(4026532246L, "user", 0, null, null, null, true),
                            n(NamespaceRows.row(4026532247L, "user", 1, 7640, "root", "sleep 600", false))),
                    n(NamespaceRows.row(4026532250L, "user", 2, 7700, "nobody", "unshare -U sh", false))),
            n(NamespaceRows.row(4026532300L, "user", 1, 8000, "root", "sleep 1", false)));

    @Test
    void drawsLikeLsnsTreeInAscii() {
        // The layout of `lsns -T parent -t user` (util-linux 2.38) with ASCII branches.
        assertThat(NamespaceTreeDrawing.render(TREE, PstreeDrawing.Style.ASCII)).isEqualTo("""
                NS             TYPE NPROCS  PID USER   COMMAND
                4026531837     user     75    2 root   kthreadd
                |-4026532246   user      0             [ghost]
                | `-4026532247 user      1 7640 root   sleep 600
                `-4026532250   user      2 7700 nobody unshare -U sh
                4026532300     user      1 8000 root   sleep 1
                """);
    }

    @Test
    void drawsLikeLsnsTreeInUnicode() {
        assertThat(NamespaceTreeDrawing.render(TREE, PstreeDrawing.Style.UNICODE))
                .isEqualTo("""
                NS             TYPE NPROCS  PID USER   COMMAND
                4026531837     user     75    2 root   kthreadd
                ├─4026532246   user      0             [ghost]
                │ └─4026532247 user      1 7640 root   sleep 600
                └─4026532250   user      2 7700 nobody unshare -U sh
                4026532300     user      1 8000 root   sleep 1
                """);
    }

    @Test
    void anEmptyForestIsJustTheHeader() {
        assertThat(NamespaceTreeDrawing.render(List.of(), PstreeDrawing.Style.ASCII))
                .isEqualTo("NS TYPE NPROCS PID USER COMMAND\n");
    }
}
