package io.nsscope.web;

import io.nsscope.details.NamespaceDetailsService;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.problem.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /namespaces} and {@code GET /namespaces/{ns}}: {@code lsns} over HTTP. */
@Tag(name = "namespaces", description = "Every namespace of the host, as lsns lists them")
@ApiProblems
@RestController
class NamespaceController {

    private final Snapshots snapshots;
    private final NamespaceDetailsService details;
    private final SandboxMarks sandboxMarks;

    NamespaceController(Snapshots snapshots, NamespaceDetailsService details, SandboxMarks sandboxMarks) {
        this.sandboxMarks = sandboxMarks;
        this.snapshots = snapshots;
        this.details = details;
    }

    @Operation(
            summary = "List namespaces (lsns -J -l --output-all)",
            description = "Every namespace on the host, sorted by inode, with lsns's columns: those with processes, "
                    + "and those held only by a bind mount (in any mount namespace), an open descriptor, a socket, "
                    + "a thread, or a descendant namespace (ghosts). Filters combine with AND. Accept: text/plain "
                    + "gives lsns's table.")
    @GetMapping(
            value = "/namespaces",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<NamespaceList> list(
            @Parameter(description = "Only namespaces of these types (repeatable, like lsns -t).", example = "net")
                    @RequestParam(required = false)
                    List<String> type,
            @Parameter(description = "Only the namespaces this process is in (like lsns -p).", example = "1")
                    @RequestParam(required = false)
                    String pid,
            @Parameter(
                            description = "Only rows whose UID column (the lowest-PID process's owner) is this.",
                            example = "0")
                    @RequestParam(required = false)
                    String uid,
            @Parameter(description = "Only rows whose USER column is this.", example = "root")
                    @RequestParam(required = false)
                    String user,
            @Parameter(
                            description =
                                    "true: only namespaces without processes, held by a bind mount, a descriptor, "
                                            + "a socket, a thread or a descendant (like lsns -P); false: only those "
                                            + "with processes (what lsns 2.38 lists).",
                            example = "true")
                    @RequestParam(required = false)
                    String persistent,
            @Parameter(
                            description = "Only namespaces whose lowest-PID process is in a container with an ID that "
                                    + "starts with this (or with this name, for lxc and systemd-nspawn).",
                            example = "3f9a2c")
                    @RequestParam(required = false)
                    String container,
            @Parameter(
                            description = "Only namespaces whose lowest-PID process is in this Kubernetes pod (UID, "
                                    + "dashes or underscores) or podman pod.",
                            example = "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f")
                    @RequestParam(required = false)
                    String pod,
            @Parameter(
                            description = "Wait for a snapshot taken after this request (rate-limited, shared).",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean refresh) {
        Predicate<Namespace> filter = typeFilter(type);
        if (persistent != null) {
            boolean wanted = Params.bool("persistent", persistent);
            filter = filter.and(ns -> ns.persistent() == wanted);
        }
        Integer wantedUid = uid == null ? null : Params.uid("uid", uid);
        String containerPrefix = ProcessFilter.containerPrefix(container);
        String podUid = ProcessFilter.podUid(pod);
        Snapshot snapshot = snapshots.get(refresh);
        SandboxMarks.Marks marks = sandboxMarks.current();
        if (containerPrefix != null || podUid != null) {
            filter = filter.and(ns ->
                    ProcessFilter.containerMatches(ContainerView.containerOf(ns, snapshot), containerPrefix, podUid));
        }
        if (pid != null) {
            int p = Params.pid("pid", pid);
            ProcessInfo process = snapshot.process(p).orElseThrow(() -> NotFoundException.process(p));
            filter = filter.and(ns -> ns.inode() == orZero(process.namespace(ns.type())));
        }
        List<NamespaceView> rows = snapshot.namespaces().stream()
                .filter(filter)
                .map(ns -> NamespaceView.of(ns, snapshot, marks))
                .filter(row -> wantedUid == null || wantedUid.equals(row.uid()))
                .filter(row -> user == null || user.equals(row.user()))
                .toList();
        boolean net = type != null && type.contains(NamespaceType.NET.kernelName());
        return snapshots.ok(snapshot, new NamespaceList(rows, SnapshotInfo.of(snapshot), net));
    }

    @Operation(
            summary = "One namespace, what it holds, and its processes (lsns NS)",
            description = "The namespace with this inode number, lsns's columns, its per-type details as seen from "
                    + "inside (user: ID maps and owner; pid: level, init, PID map; uts: names; net: interfaces and "
                    + "addresses; mnt: mounts and /; time: clock offsets; cgroup: root; ipc: System V objects), and "
                    + "every process in it. The details are read through the namespace's lowest-PID process when "
                    + "first asked for in a snapshot, without nsscope's own threads changing namespace; one that "
                    + "cannot be read carries an error in the body, the status stays 200.")
    @GetMapping(
            value = "/namespaces/{ns}",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<NamespaceDetail> one(
            @Parameter(description = "The namespace's inode number.", example = "4026531992") @PathVariable String ns,
            @Parameter(
                            description = "Wait for a snapshot taken after this request (rate-limited, shared).",
                            example = "false")
                    @RequestParam(defaultValue = "false")
                    boolean refresh) {
        long inode = Params.inode("ns", ns);
        Snapshot snapshot = snapshots.get(refresh);
        Namespace namespace = snapshot.namespace(inode).orElseThrow(() -> NotFoundException.namespace(inode));
        return snapshots.ok(
                snapshot,
                NamespaceDetail.of(namespace, snapshot, details.details(namespace, snapshot), sandboxMarks.current()));
    }

    private static Predicate<Namespace> typeFilter(List<String> types) {
        if (types == null || types.isEmpty()) {
            return ns -> true;
        }
        Set<NamespaceType> wanted = EnumSet.noneOf(NamespaceType.class);
        for (String t : types) {
            wanted.add(Params.type("type", t));
        }
        return ns -> wanted.contains(ns.type());
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
