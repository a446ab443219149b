package io.nsscope.web;

import io.nsscope.namespace.NamespaceHierarchy;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessForest;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.problem.ApiProblems;
import io.nsscope.web.problem.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /trees/{type}}: {@code pstree -pN <type>} and {@code lsns -T parent|owner -t <type>} over HTTP. */
@Tag(
        name = "trees",
        description = "The process tree grouped by namespace, as pstree -N draws it, and the "
                + "namespaces nested by parent or owner, as lsns -T draws them")
@ApiProblems
@RestController
class TreeController {

    private final Snapshots snapshots;
    private final SandboxMarks sandboxMarks;

    TreeController(Snapshots snapshots, SandboxMarks sandboxMarks) {
        this.sandboxMarks = sandboxMarks;
        this.snapshots = snapshots;
    }

    /** The values of {@code by}. */
    static final List<String> BY = List.of("process", "parent", "owner");

    @Operation(
            summary = "Namespace trees: process tree by namespace (pstree -pTN TYPE), or namespaces by parent or "
                    + "owner (lsns -T parent|owner -t TYPE)",
            description = "by=process (the default): processes grouped by their namespace of this type: a process "
                    + "roots a group when it has no parent or its parent is in another namespace. Groups come in "
                    + "pstree's order, children sorted by name, then UID, then PID. Threads are not shown (pstree "
                    + "-T).\n\nby=parent: pid and user namespaces nested under their parent namespaces, roots those "
                    + "whose parent is unknown or not in the snapshot; the namespaces of other types, which have no "
                    + "parents, each a root (as lsns --tree=parent -t TYPE).\n\nby=owner: the user namespaces nested "
                    + "by parent, and under each the namespaces of this type it owns (lsns -T owner -t TYPE); user "
                    + "namespaces that lead to none are left out, namespaces whose owner is unknown are roots. Ghost "
                    + "ancestors (no process, found by walking up) are included.\n\nAccept: text/plain draws it like "
                    + "pstree (by=process) or lsns -T (by=parent, owner).")
    @GetMapping(
            value = "/trees/{type}",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<TreeAnswer> tree(
            @Parameter(description = "The namespace type.", example = "net") @PathVariable String type,
            @Parameter(
                            description = "How to build the tree. process: the process tree grouped by namespace "
                                    + "(pstree -N, TreeView). parent: pid or user namespaces under their parents (lsns "
                                    + "-T parent; other types have no parents: each is a root). owner: namespaces "
                                    + "under their owning user namespace (lsns -T owner). parent and owner answer a "
                                    + "NamespaceTreeView.",
                            example = "process",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            allowableValues = {"process", "parent", "owner"},
                                            defaultValue = "process"))
                    @RequestParam(defaultValue = "process")
                    String by,
            @Parameter(
                            description =
                                    "by=process: also show kernel threads (kthreadd and its children), which pstree "
                                            + "hides.",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean kthreads,
            @Parameter(
                            description = "Line drawing of the text form: ascii (pstree -A) or unicode (pstree -U).",
                            example = "ascii",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"ascii", "unicode"}))
                    @RequestParam(defaultValue = "ascii")
                    String lines,
            @Parameter(
                            description = "Wait for a snapshot taken after this request (rate-limited, shared).",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean refresh) {
        NamespaceType t = Params.type("type", type);
        if (!BY.contains(by)) {
            throw new InvalidParameterException("by", "'" + by + "' is not a tree; use process, parent or owner.", BY);
        }
        PstreeDrawing.Style style = switch (lines) {
            case "ascii" -> PstreeDrawing.Style.ASCII;
            case "unicode" -> PstreeDrawing.Style.UNICODE;
            default ->
                throw new InvalidParameterException(
                        "lines",
                        "'" + lines + "' is not a line style; use ascii or " + "unicode.",
                        List.of("ascii", "unicode"));
        };
        Snapshot snapshot = snapshots.get(refresh);
        if (by.equals("process")) {
            List<ProcessForest.Group> groups = ProcessForest.group(snapshot.processes(), t, kthreads);
            return snapshots.ok(snapshot, TreeView.of(t.kernelName(), groups, snapshot, style, sandboxMarks.current()));
        }
        List<NamespaceHierarchy.Node> roots = by.equals("parent")
                ? NamespaceHierarchy.byParent(snapshot.namespaces(), t)
                : NamespaceHierarchy.byOwner(snapshot.namespaces(), t);
        return snapshots.ok(
                snapshot, NamespaceTreeView.of(t.kernelName(), by, roots, snapshot, style, sandboxMarks.current()));
    }
}
