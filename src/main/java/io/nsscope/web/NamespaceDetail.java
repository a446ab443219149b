package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.nsscope.details.NamespaceDetails;
import io.nsscope.namespace.Namespace;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.text.PlainText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /namespaces/{ns}}: the {@link NamespaceView} fields plus the member processes, like
 * {@code lsns <ns>} followed by {@code ps} of its processes.
 *
 * @param namespace the namespace's row, its fields inlined in the JSON
 * @param details   what the namespace holds, by type, read through one of its processes
 * @param processes the processes in the namespace, by ascending PID
 * @param snapshot  the scan they come from
 */
@Schema(description = "One namespace with its processes, like `lsns NS`.")
public record NamespaceDetail(
        @JsonUnwrapped NamespaceView namespace,

        @Schema(
                description = "What the namespace holds, as seen from inside it (host name, interfaces, ID maps, "
                        + "PID map...). Exactly one per-type object is present, named like the namespace's type; a "
                        + "detail that could not be read has its fields null and an error that says why.")
        NamespaceDetails details,

        @Schema(description = "The processes in the namespace, by ascending PID.")
        List<MemberView> processes,

        SnapshotInfo snapshot)
        implements PlainText {

    static NamespaceDetail of(Namespace ns, Snapshot snapshot, NamespaceDetails details, SandboxMarks.Marks sandboxes) {
        List<MemberView> members = ns.pids().stream()
                .map(pid -> MemberView.of(snapshot.process(pid).orElseThrow()))
                .toList();
        return new NamespaceDetail(
                NamespaceView.of(ns, snapshot, sandboxes), details, members, SnapshotInfo.of(snapshot));
    }

    @Override
    public String toPlainText() {
        String text = DetailsText.render(details);
        return LsnsTable.render(List.of(namespace)) + "\n" + (text.isEmpty() ? "" : text + "\n")
                + LsnsTable.renderMembers(processes);
    }
}
