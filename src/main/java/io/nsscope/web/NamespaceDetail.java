package io.nsscope.web;

import io.nsscope.namespace.Namespace;
import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /namespaces/{ns}}: the {@link NamespaceView} fields plus the member processes, like
 * {@code lsns <ns>} followed by {@code ps} of its processes.
 */
@Schema(description = "One namespace with its processes, like `lsns NS`.")
public record NamespaceDetail(long ns, String type, String path, int nprocs, int pid, int ppid, String command,
        Integer uid, String user, String netnsid, String nsfs, Long pns, Long ons,
        @Schema(description = "The processes in the namespace, by ascending PID.") List<MemberView> processes,
        SnapshotInfo snapshot) implements PlainText {

    static NamespaceDetail of(Namespace ns, Snapshot snapshot) {
        NamespaceView v = NamespaceView.of(ns, snapshot);
        List<MemberView> members = ns.pids().stream()
                .map(pid -> MemberView.of(snapshot.process(pid).orElseThrow()))
                .toList();
        return new NamespaceDetail(v.ns(), v.type(), v.path(), v.nprocs(), v.pid(), v.ppid(), v.command(), v.uid(),
                v.user(), v.netnsid(), v.nsfs(), v.pns(), v.ons(), members, SnapshotInfo.of(snapshot));
    }

    @Override
    public String toPlainText() {
        NamespaceView row = new NamespaceView(ns, type, path, nprocs, pid, ppid, command, uid, user, netnsid, nsfs,
                pns, ons);
        return LsnsTable.render(List.of(row)) + "\n" + LsnsTable.renderMembers(processes);
    }
}
