package io.nsscope.web;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.security.Redaction;
import io.nsscope.web.text.PlainText;
import io.nsscope.web.text.SafeText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer of {@code GET /processes/{pid}/ns}: what {@code ls -l /proc/<pid>/ns} shows, and the process's PID in
 * each nested PID namespace.
 *
 * @param pid        the PID on the host
 * @param command    the command line, as lsns shows it
 * @param nspid      the PID in each PID namespace, from the host's down to the process's own ({@code NSpid})
 * @param namespaces the ten links of /proc/PID/ns
 * @param snapshot   the scan they come from
 */
@Schema(description = "One process's namespaces, like `ls -l /proc/PID/ns`, and its PID in each PID namespace.")
public record ProcessNamespaces(
        @Schema(description = "The PID on the host.", example = "5438")
        int pid,

        @Schema(description = "The command line, as lsns shows it.", example = "/sbin/init")
        String command,

        @Schema(
                description = "The process's PID in each PID namespace it is in, from the host's down to its own "
                        + "(NSpid in /proc/PID/status): a container's init is [5438, 1].",
                example = "[5438, 1]")
        List<Integer> nspid,

        @Schema(description = "The ten links of /proc/PID/ns, in the kernel's (alphabetical) order.")
        List<Link> namespaces,

        SnapshotInfo snapshot)
        implements PlainText {

    /**
     * One link of {@code /proc/<pid>/ns/}.
     *
     * @param name       the link's name ({@code pid_for_children}...)
     * @param type       the type of namespace it points to
     * @param ns         the inode it points to, or null when the link is absent or unreadable
     * @param path       the link's path on the host
     * @param sameAsInit whether the host's init process (the lowest readable PID) has the same namespace on this
     *                   link; null when either is unknown
     */
    @Schema(description = "One link of /proc/PID/ns.")
    public record Link(
            @Schema(description = "The link's name in /proc/PID/ns.", example = "pid_for_children")
            String name,

            @Schema(description = "The type of namespace it points to.", example = "pid")
            String type,

            @Schema(
                    description = "The namespace's inode; null when the link is absent or unreadable.",
                    example = "4026532342",
                    nullable = true)
            Long ns,

            @Schema(description = "The link's path on the host.", example = "/proc/5438/ns/pid_for_children")
            String path,

            @Schema(
                    description = "Whether the host's init process (PID 1, or the lowest PID whose links are "
                            + "readable) has the same namespace here: false means isolated from the host on this link.",
                    nullable = true)
            Boolean sameAsInit) {}

    static ProcessNamespaces of(ProcessInfo p, Snapshot snapshot) {
        ProcessInfo init = snapshot.init().orElse(null);
        List<Link> links = new ArrayList<>();
        for (NamespaceLink link : NamespaceLink.values()) {
            Long ns = p.namespaces().get(link);
            Long initNs = init == null ? null : init.namespaces().get(link);
            Boolean same = ns == null || initNs == null ? null : Objects.equals(ns, initNs);
            links.add(new Link(
                    link.fileName(),
                    link.type().kernelName(),
                    ns,
                    "/proc/" + p.pid() + "/ns/" + link.fileName(),
                    same));
        }
        return new ProcessNamespaces(
                p.pid(), Redaction.command(p.command()), p.nspid(), links, SnapshotInfo.of(snapshot));
    }

    /** Like {@code ls -l /proc/<pid>/ns}, with the NSpid line first. */
    @Override
    public String toPlainText() {
        StringBuilder out = new StringBuilder();
        out.append("/proc/")
                .append(pid)
                .append("/ns: ")
                .append(SafeText.escape(command))
                .append('\n');
        out.append("NSpid:");
        nspid.forEach(n -> out.append(' ').append(n));
        out.append('\n');
        for (Link link : namespaces) {
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
}
