package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.nsscope.namespace.Namespace;
import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /namespaces/{ns}}: the {@link NamespaceView} fields plus the member processes, like
 * {@code lsns <ns>} followed by {@code ps} of its processes.
 *
 * @param namespace the namespace's row, its fields inlined in the JSON
 * @param processes the processes in the namespace, by ascending PID
 * @param snapshot  the scan they come from
 */
@Schema(description = "One namespace with its processes, like `lsns NS`.")
public record NamespaceDetail(
        @JsonUnwrapped NamespaceView namespace,
        @Schema(description = "The processes in the namespace, by ascending PID.") List<MemberView> processes,
        SnapshotInfo snapshot) implements PlainText {

    static NamespaceDetail of(Namespace ns, Snapshot snapshot) {
        List<MemberView> members = ns.pids().stream()
                .map(pid -> MemberView.of(snapshot.process(pid).orElseThrow()))
                .toList();
        return new NamespaceDetail(NamespaceView.of(ns, snapshot), members, SnapshotInfo.of(snapshot));
    }

    @Override
    public String toPlainText() {
        return LsnsTable.render(List.of(namespace)) + "\n" + LsnsTable.renderMembers(processes);
    }
}
