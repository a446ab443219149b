package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.text.PlainText;
import io.nsscope.web.text.SafeText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /processes/{pid}}: everything the snapshot knows of one process.
 *
 * @param process  the {@link ProcessView} fields, inlined in the JSON
 * @param children the PIDs of its children (processes whose ppid is its PID), ascending
 * @param links    the ten links of {@code /proc/PID/ns}, with their paths and whether each is the host init's
 * @param looseThreads its threads whose namespaces differ from its own ({@code /proc/PID/task/TID/ns})
 * @param snapshot the scan it comes from
 */
@Schema(
        description = "Everything known about one process: its ps-like row, its children, and its ten namespace "
                + "links with their paths and whether each is the host init's.")
public record ProcessDetail(
        @JsonUnwrapped ProcessView process,

        @Schema(
                description = "The PIDs of its children (processes whose parent it is), ascending.",
                example = "[5741, 5742]")
        List<Integer> children,

        @Schema(description = "The ten links of /proc/PID/ns, as GET /processes/{pid}/ns lists them.")
        List<ProcessNamespaces.Link> links,

        @Schema(
                description = "Its threads that are in other namespaces than the process (they called unshare(2) "
                        + "or setns(2) for themselves), with the links that differ.")
        List<LooseThreadLinks> looseThreads,

        SnapshotInfo snapshot)
        implements PlainText {

    /**
     * A thread of the process in other namespaces.
     *
     * @param tid     its thread ID
     * @param comm    its name ({@code /proc/PID/task/TID/comm})
     * @param differs the links of {@code /proc/PID/task/TID/ns} that differ from the process's, by link name, with
     *                the thread's inode
     */
    @Schema(description = "A thread of the process whose namespaces are not the process's.")
    public record LooseThreadLinks(
            @Schema(description = "The thread ID.", example = "5440")
            int tid,

            @Schema(description = "The thread's name.", example = "nsscope-sandbox")
            String comm,

            @Schema(
                    description = "The thread's namespace inode for each link that differs from the process's, "
                            + "by link name (uts, net, pid_for_children...).",
                    example = "{\"uts\": 4026532602}")
            Map<String, Long> differs) {}

    static ProcessDetail of(ProcessInfo p, Snapshot snapshot) {
        List<Integer> children = snapshot.processes().stream()
                .filter(c -> c.ppid() == p.pid() && c.pid() != p.pid())
                .map(ProcessInfo::pid)
                .toList();
        List<LooseThreadLinks> loose = snapshot.looseThreadsOf(p.pid()).stream()
                .map(t -> {
                    Map<String, Long> differs = new LinkedHashMap<>();
                    t.differing()
                            .forEach(link ->
                                    differs.put(link.fileName(), t.namespaces().get(link)));
                    return new LooseThreadLinks(t.tid(), t.comm(), differs);
                })
                .toList();
        return new ProcessDetail(
                ProcessView.of(p),
                children,
                ProcessNamespaces.of(p, snapshot).namespaces(),
                loose,
                SnapshotInfo.of(snapshot));
    }

    /** {@code Key: value} lines (values escaped: {@link SafeText}), then the links as {@code ls -l /proc/PID/ns}. */
    @Override
    public String toPlainText() {
        ProcessView p = process;
        ContainerView c = p.container();
        StringBuilder out = new StringBuilder();
        line(out, "PID", p.pid());
        line(out, "PPID", p.ppid());
        line(out, "UID", ProcessList.dash(p.uid()));
        line(out, "USER", ProcessList.dash(p.user()));
        line(out, "State", p.state());
        line(out, "Comm", p.comm());
        line(out, "Command", p.command());
        line(
                out,
                "NSpid",
                String.join(" ", p.nspid().stream().map(String::valueOf).toList()));
        line(out, "Threads", p.threads());
        line(out, "Kernel thread", p.kernelThread() ? "yes" : "no");
        line(out, "Unreadable", p.unreadable() ? "yes (some files were denied)" : "no");
        line(out, "Runtime", c == null ? "-" : c.runtime());
        line(out, "Container", c == null ? "-" : ProcessList.dash(c.containerId()));
        line(out, "Pod", c == null ? "-" : ProcessList.dash(c.podUid()));
        line(out, "Unit", c == null ? "-" : ProcessList.dash(c.unit()));
        line(
                out,
                "Children",
                children.isEmpty()
                        ? "-"
                        : String.join(
                                " ", children.stream().map(String::valueOf).toList()));
        for (LooseThreadLinks t : looseThreads) {
            line(
                    out,
                    "Loose thread",
                    t.tid() + " (" + t.comm() + "): "
                            + String.join(
                                    " ",
                                    t.differs().entrySet().stream()
                                            .map(e -> e.getKey() + ":[" + e.getValue() + "]")
                                            .toList()));
        }
        for (ProcessNamespaces.Link link : links) {
            String target = link.ns() == null ? "?" : link.type() + ":[" + link.ns() + "]";
            String mark = Boolean.FALSE.equals(link.sameAsInit()) ? "   (not init's)" : "";
            out.append("lrwxrwxrwx ")
                    .append(link.name())
                    .append(" -> ")
                    .append(target)
                    .append(mark)
                    .append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(String.format("%-14s %s%n", key + ":", SafeText.escape(String.valueOf(value))));
    }
}
