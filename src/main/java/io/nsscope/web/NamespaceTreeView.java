package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.nsscope.namespace.NamespaceHierarchy;
import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /trees/{type}?by=parent|owner}: namespaces nested as {@code lsns -T parent|owner -t TYPE}
 * nests them.
 *
 * @param type     the namespace type asked for
 * @param by       {@code parent} (pid and user namespaces under their parents, other types flat) or {@code owner}
 *                 (the namespaces of
 *                 the type under the user namespaces owning them, those nested by parent)
 * @param roots    the namespaces at the top: no parent (or owner), or one that is unknown or not in the snapshot
 * @param snapshot the scan they come from
 */
@Schema(
        description = "Namespaces nested by parent (pid and user) or by owning user namespace, like "
                + "`lsns -T parent|owner -t TYPE`.")
public record NamespaceTreeView(
        @Schema(
                description = "The namespace type asked for.",
                example = "pid",
                allowableValues = {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"})
        String type,

        @Schema(
                description = "How the namespaces nest. parent: pid or user namespaces under their parent namespace "
                        + "(NS_GET_PARENT, lsns's PNS); namespaces of other types have no parents and are each a root. "
                        + "owner: the namespaces of the type under the user namespace owning them (NS_GET_USERNS, "
                        + "lsns's ONS), the user namespaces nested by parent and left out when they lead to none; for "
                        + "type user it is the parent tree.",
                example = "parent",
                allowableValues = {"parent", "owner"})
        String by,

        @Schema(
                description = "The namespaces at the top, by inode: those whose parent (by=parent) or owner "
                        + "(by=owner) is unknown (null: the initial namespace, or EPERM) or not in the snapshot.")
        List<NamespaceNode> roots,

        SnapshotInfo snapshot,
        @JsonIgnore @Schema(hidden = true) PstreeDrawing.Style style)
        implements TreeAnswer {

    /**
     * One namespace, as a row of {@code /namespaces}, and the namespaces under it.
     *
     * @param namespace the namespace's row, its fields inlined in the JSON
     * @param children  by=parent: its child namespaces; by=owner: under a user namespace, its child user
     *                  namespaces and the namespaces of the type it owns; by inode
     */
    @Schema(description = "One namespace (the fields of a /namespaces row) and the namespaces under it.")
    public record NamespaceNode(
            @JsonUnwrapped NamespaceView namespace,

            @Schema(
                    description = "by=parent: its child namespaces. by=owner: under a user namespace, its child "
                            + "user namespaces and the namespaces of the requested type it owns (leaves). By inode.")
            List<NamespaceNode> children) {

        static NamespaceNode of(NamespaceHierarchy.Node node, Snapshot snapshot, SandboxMarks.Marks sandboxes) {
            return new NamespaceNode(
                    NamespaceView.of(node.namespace(), snapshot, sandboxes),
                    node.children().stream()
                            .map(c -> of(c, snapshot, sandboxes))
                            .toList());
        }
    }

    static NamespaceTreeView of(
            String type,
            String by,
            List<NamespaceHierarchy.Node> roots,
            Snapshot snapshot,
            PstreeDrawing.Style style,
            SandboxMarks.Marks sandboxes) {
        return new NamespaceTreeView(
                type,
                by,
                roots.stream()
                        .map(r -> NamespaceNode.of(r, snapshot, sandboxes))
                        .toList(),
                SnapshotInfo.of(snapshot),
                style);
    }

    @Override
    public String toPlainText() {
        return NamespaceTreeDrawing.render(roots, style, type.equals("net"));
    }
}
