package io.nsscope.web;

import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /processes/{pid}/ns}: {@code ls -l /proc/<pid>/ns} and {@code NSpid} over HTTP. */
@Tag(name = "processes", description = "One process's namespaces")
@ApiProblems
@RestController
class ProcessController {

    private final Snapshots snapshots;

    ProcessController(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Operation(summary = "A process's namespaces (ls -l /proc/PID/ns)",
            description = "All ten links of /proc/PID/ns (with pid_for_children and time_for_children), whether each "
                    + "is the host init's, and the process's PID in every PID namespace it is in (NSpid).")
    @GetMapping(value = "/processes/{pid}/ns", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<ProcessNamespaces> namespaces(
            @Parameter(description = "The process's PID on the host.", example = "1") @PathVariable String pid,
            @Parameter(description = "Wait for a snapshot taken after this request (rate-limited, shared).", example = "false")
            @RequestParam(defaultValue = "false") boolean refresh) {
        int p = Params.pid("pid", pid);
        Snapshot snapshot = snapshots.get(refresh);
        ProcessInfo process = snapshot.process(p).orElseThrow(() -> NotFoundException.process(p));
        return snapshots.ok(snapshot, ProcessNamespaces.of(process, snapshot));
    }
}
