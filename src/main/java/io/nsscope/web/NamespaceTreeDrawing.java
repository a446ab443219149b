package io.nsscope.web;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws namespace trees as {@code lsns -T} does: {@code lsns}'s default columns (NS TYPE NPROCS PID USER COMMAND),
 * the NS column indented with {@code |-}, {@code `-} and {@code | } (or, with the Unicode style, {@code ├─},
 * {@code └─} and {@code │ }), the other columns aligned as in {@link LsnsTable}. A ghost (a namespace found only by
 * walking up from a descendant) has {@code [ghost]} for its command, a namespace without processes what holds it,
 * as in {@link LsnsTable}.
 */
final class NamespaceTreeDrawing {

    private NamespaceTreeDrawing() {}

    /** One row of the drawing: the tree-drawn NS cell and the namespace. */
    private record Row(String tree, NamespaceView ns) {}

    /** The table, header first, each line ending with a newline. */
    static String render(List<NamespaceTreeView.NamespaceNode> roots, PstreeDrawing.Style style) {
        return render(roots, style, false);
    }

    /** The table; with {@code net}, lsns's NETNSID and NSFS columns too (as {@code lsns -T ... -t net}). */
    static String render(List<NamespaceTreeView.NamespaceNode> roots, PstreeDrawing.Style style, boolean net) {
        List<Row> rows = new ArrayList<>();
        for (NamespaceTreeView.NamespaceNode root : roots) {
            add(root, "", "", rows, style);
        }
        List<LsnsTable.Column<Row>> columns = new ArrayList<>(List.of(
                new LsnsTable.Column<>("NS", false, Row::tree),
                new LsnsTable.Column<>("TYPE", false, r -> r.ns().type()),
                new LsnsTable.Column<>("NPROCS", true, r -> r.ns().nprocs()),
                new LsnsTable.Column<>("PID", true, r -> r.ns().pid()),
                new LsnsTable.Column<>("USER", false, r -> r.ns().user())));
        if (net) {
            for (LsnsTable.Column<NamespaceView> c : LsnsTable.netColumns()) {
                columns.add(new LsnsTable.Column<>(
                        c.header(), c.right(), r -> c.value().apply(r.ns())));
            }
        }
        columns.add(new LsnsTable.Column<>("COMMAND", false, r -> LsnsTable.commandOrHolder(r.ns())));
        return LsnsTable.table(rows, columns);
    }

    /**
     * Adds a node and, below it, its children.
     *
     * @param branch what precedes this node's inode: the branch joining it to its parent
     * @param indent what precedes its children's branches: a bar where the parent has later children, else blanks
     */
    private static void add(
            NamespaceTreeView.NamespaceNode node,
            String branch,
            String indent,
            List<Row> rows,
            PstreeDrawing.Style style) {
        rows.add(new Row(branch + node.namespace().ns(), node.namespace()));
        List<NamespaceTreeView.NamespaceNode> children = node.children();
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            add(
                    children.get(i),
                    indent + (last ? style.last : style.middle),
                    indent + (last ? "  " : style.bar),
                    rows,
                    style);
        }
    }
}
