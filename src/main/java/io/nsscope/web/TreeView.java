package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.nsscope.process.ProcessForest;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.security.Redaction;
import io.nsscope.web.text.SafeText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /trees/{type}}: the process tree grouped by namespace of one type, as
 * {@code pstree -pN <type>} groups it.
 *
 * @param type       the namespace type
 * @param namespaces the groups, in the order {@code pstree} prints them
 * @param snapshot   the scan they come from
 */
@Schema(description = "The process tree grouped by namespace of one type, like `pstree -pN TYPE`.")
public record TreeView(
        @Schema(description = "The namespace type.", example = "net")
        String type,

        @Schema(description = "The namespaces of that type, in the order pstree prints them.")
        List<NamespaceGroup> namespaces,

        SnapshotInfo snapshot,
        @JsonIgnore @Schema(hidden = true) PstreeDrawing.Style style)
        implements TreeAnswer {

    /**
     * One namespace's part of the tree.
     *
     * @param ns      the namespace's inode
     * @param roots   the processes that start a subtree in it: no parent, or a parent in another namespace
     * @param sandbox the id of the running nsscope sandbox that made the namespace, or null
     */
    @Schema(description = "One namespace and the process trees in it.")
    public record NamespaceGroup(
            @Schema(description = "The namespace's inode, pstree's [NS] header.", example = "4026531992")
            long ns,

            @Schema(description = "Processes with no parent or a parent in another namespace, and their subtrees.")
            List<TreeNode> roots,

            @Schema(
                    description = "The id of the running sandbox (POST /sandboxes) that made this namespace; null "
                            + "for every other.",
                    example = "sb-3f9a7c1e5b2d4a60",
                    nullable = true)
            String sandbox) {}

    /**
     * A process and its children in the same namespace.
     *
     * @param pid      the PID
     * @param name     the command name (comm), what pstree shows
     * @param command  the command line, as lsns shows it
     * @param children the children in the same namespace, sorted as pstree sorts them (by name, then PID)
     */
    @Schema(description = "A process and its children in the same namespace.")
    public record TreeNode(
            @Schema(description = "The PID on the host.", example = "5438")
            int pid,

            @Schema(description = "The command name (comm), what pstree shows.", example = "init")
            String name,

            @Schema(description = "The command line, as lsns shows it.", example = "/sbin/init")
            String command,

            @Schema(description = "Children in the same namespace, by name then PID.")
            List<TreeNode> children) {

        static TreeNode of(ProcessForest.Node node) {
            return new TreeNode(
                    node.process().pid(),
                    node.process().comm(),
                    Redaction.command(node.process().command()),
                    node.children().stream().map(TreeNode::of).toList());
        }
    }

    static TreeView of(
            String type,
            List<ProcessForest.Group> groups,
            Snapshot snapshot,
            PstreeDrawing.Style style,
            SandboxMarks.Marks sandboxes) {
        List<NamespaceGroup> namespaces = groups.stream()
                .map(g -> new NamespaceGroup(
                        g.inode(), g.roots().stream().map(TreeNode::of).toList(), sandboxes.of(g.inode())))
                .toList();
        return new TreeView(type, namespaces, SnapshotInfo.of(snapshot), style);
    }

    @Override
    public String toPlainText() {
        StringBuilder out = new StringBuilder();
        for (NamespaceGroup group : namespaces) {
            out.append('[').append(group.ns()).append(']');
            if (group.sandbox() != null) {
                // pstree has no such mark: only nsscope's own
                out.append(" sandbox ").append(SafeText.escape(group.sandbox()));
            }
            out.append('\n');
            for (TreeNode root : group.roots()) {
                for (String line : PstreeDrawing.draw(root, style)) {
                    out.append(line).append('\n');
                }
            }
        }
        return out.toString();
    }
}
