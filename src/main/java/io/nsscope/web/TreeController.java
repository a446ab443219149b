package io.nsscope.web;

import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessForest;
import io.nsscope.scan.Snapshot;
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

/** {@code GET /trees/{type}}: {@code pstree -pN <type>} over HTTP. */
@Tag(name = "trees", description = "The process tree grouped by namespace, as pstree -N draws it")
@ApiProblems
@RestController
class TreeController {

    private final Snapshots snapshots;

    TreeController(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Operation(summary = "Process tree by namespace (pstree -pTN TYPE)",
            description = "Processes grouped by their namespace of this type: a process roots a group when it has no "
                    + "parent or its parent is in another namespace. Groups come in pstree's order, children sorted "
                    + "by name then PID. Threads are not shown (pstree -T). Accept: text/plain draws it like pstree.")
    @GetMapping(value = "/trees/{type}", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<TreeView> tree(
            @Parameter(description = "The namespace type.", example = "net") @PathVariable String type,
            @Parameter(description = "Also show kernel threads (kthreadd and its children), which pstree hides.", example = "false")
            @RequestParam(defaultValue = "false") boolean kthreads,
            @Parameter(description = "Line drawing of the text form: ascii (pstree -A) or unicode (pstree -U).", example = "ascii", schema = @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"ascii", "unicode"}))
            @RequestParam(defaultValue = "ascii") String lines,
            @Parameter(description = "Wait for a snapshot taken after this request (rate-limited, shared).", example = "false")
            @RequestParam(defaultValue = "false") boolean refresh) {
        NamespaceType t = Params.type("type", type);
        PstreeDrawing.Style style = switch (lines) {
            case "ascii" -> PstreeDrawing.Style.ASCII;
            case "unicode" -> PstreeDrawing.Style.UNICODE;
            default -> throw new InvalidParameterException("lines", "'" + lines + "' is not a line style; use ascii or "
                    + "unicode.", List.of("ascii", "unicode"));
        };
        Snapshot snapshot = snapshots.get(refresh);
        List<ProcessForest.Group> groups = ProcessForest.group(snapshot.processes(), t, kthreads);
        return snapshots.ok(snapshot, TreeView.of(t.kernelName(), groups, snapshot, style));
    }
}
