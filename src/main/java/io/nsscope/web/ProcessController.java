package io.nsscope.web;

import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.problem.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /processes} ({@code ps -e -o pid,ppid,user,...ns,cmd}), {@code GET /processes/{pid}} and
 * {@code GET /processes/{pid}/ns} ({@code ls -l /proc/<pid>/ns} and {@code NSpid}) over HTTP.
 */
@Tag(name = "processes", description = "Processes with their namespaces and containers")
@ApiProblems
@RestController
class ProcessController {

    private static final String INODE = "Only processes in the namespace of this type with this inode (like ps -o ";

    private final Snapshots snapshots;

    ProcessController(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Operation(
            summary = "List processes (ps -e -o pid,ppid,user,stat,cgroupns,...,utsns,cmd)",
            description = "Every process of the snapshot, by PID, with its namespaces (all ten links of /proc/PID/ns) "
                    + "and its container. Filters combine with AND. Accept: text/plain gives a ps-like table.")
    @GetMapping(
            value = "/processes",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<ProcessList> list(
            @Parameter(
                            description = "Only processes with this namespace inode on any of their ten links "
                                    + "(pid_for_children and time_for_children included).",
                            example = "4026531992")
                    @RequestParam(required = false)
                    String ns,
            @Parameter(description = INODE + "cgroupns).", example = "4026531835") @RequestParam(required = false)
                    String cgroupns,
            @Parameter(description = INODE + "ipcns).", example = "4026531839") @RequestParam(required = false)
                    String ipcns,
            @Parameter(description = INODE + "mntns).", example = "4026531841") @RequestParam(required = false)
                    String mntns,
            @Parameter(description = INODE + "netns).", example = "4026531840") @RequestParam(required = false)
                    String netns,
            @Parameter(description = INODE + "pidns).", example = "4026531836") @RequestParam(required = false)
                    String pidns,
            @Parameter(description = INODE + "timens).", example = "4026531834") @RequestParam(required = false)
                    String timens,
            @Parameter(description = INODE + "userns).", example = "4026531837") @RequestParam(required = false)
                    String userns,
            @Parameter(description = INODE + "utsns).", example = "4026531838") @RequestParam(required = false)
                    String utsns,
            @Parameter(
                            description = "Only processes in a container whose ID starts with this (or whose name is "
                                    + "this, for lxc and systemd-nspawn).",
                            example = "3f2a9c4e1b7d")
                    @RequestParam(required = false)
                    String container,
            @Parameter(
                            description =
                                    "Only processes in this pod: a Kubernetes pod UID (dashes or underscores) or a "
                                            + "podman pod ID.",
                            example = "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f")
                    @RequestParam(required = false)
                    String pod,
            @Parameter(
                            description = "Wait for a snapshot taken after this request (rate-limited, shared).",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean refresh) {
        Map<NamespaceType, String> byType = new EnumMap<>(NamespaceType.class);
        byType.put(NamespaceType.CGROUP, cgroupns);
        byType.put(NamespaceType.IPC, ipcns);
        byType.put(NamespaceType.MNT, mntns);
        byType.put(NamespaceType.NET, netns);
        byType.put(NamespaceType.PID, pidns);
        byType.put(NamespaceType.TIME, timens);
        byType.put(NamespaceType.USER, userns);
        byType.put(NamespaceType.UTS, utsns);
        var filter = ProcessFilter.of(ns, byType, container, pod);
        Snapshot snapshot = snapshots.get(refresh);
        var rows = snapshot.processes().stream()
                .filter(filter)
                .map(ProcessView::of)
                .toList();
        return snapshots.ok(snapshot, new ProcessList(rows, SnapshotInfo.of(snapshot)));
    }

    @Operation(
            summary = "Everything known about one process",
            description = "The process's ps-like row (ids, state, command, NSpid, the ten namespace inodes, "
                    + "container), its children, and its namespace links with their paths and whether each is the "
                    + "host init's.")
    @GetMapping(
            value = "/processes/{pid}",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<ProcessDetail> one(
            @Parameter(description = "The process's PID on the host.", example = "1") @PathVariable String pid,
            @Parameter(
                            description = "Wait for a snapshot taken after this request (rate-limited, shared).",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean refresh) {
        int p = Params.pid("pid", pid);
        Snapshot snapshot = snapshots.get(refresh);
        ProcessInfo process = snapshot.process(p).orElseThrow(() -> NotFoundException.process(p));
        return snapshots.ok(snapshot, ProcessDetail.of(process, snapshot));
    }

    @Operation(
            summary = "A process's namespaces (ls -l /proc/PID/ns)",
            description = "All ten links of /proc/PID/ns (with pid_for_children and time_for_children), whether each "
                    + "is the host init's, and the process's PID in every PID namespace it is in (NSpid).")
    @GetMapping(
            value = "/processes/{pid}/ns",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<ProcessNamespaces> namespaces(
            @Parameter(description = "The process's PID on the host.", example = "1") @PathVariable String pid,
            @Parameter(
                            description = "Wait for a snapshot taken after this request (rate-limited, shared).",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean refresh) {
        int p = Params.pid("pid", pid);
        Snapshot snapshot = snapshots.get(refresh);
        ProcessInfo process = snapshot.process(p).orElseThrow(() -> NotFoundException.process(p));
        return snapshots.ok(snapshot, ProcessNamespaces.of(process, snapshot));
    }
}
