package io.nsscope.web;

import io.nsscope.process.ProcessInfo;
import io.nsscope.web.security.Redaction;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One process as a row of {@code ps -e -o pid,ppid,user,stat,cgroupns,ipcns,mntns,netns,pidns,userns,utsns,cmd}, with
 * its container.
 *
 * @param pid          the PID on the host
 * @param ppid         the parent's PID, field 4 of {@code /proc/PID/stat} (proc_pid_stat(5))
 * @param uid          the owner of {@code /proc/PID} (its effective UID); null if unreadable
 * @param user         that UID's name in the host's password database, or the number
 * @param state        field 3 of {@code /proc/PID/stat} ({@code R S D Z T...}), {@code ?} if unreadable
 * @param comm         field 2 of {@code /proc/PID/stat}, the command name
 * @param command      the command line as lsns shows it ({@code /proc/PID/cmdline} joined by spaces, or comm)
 * @param nspid        {@code NSpid:} of {@code /proc/PID/status}: the PID in each PID namespace, host's first
 * @param threads      field 20 of {@code /proc/PID/stat}, its number of threads
 * @param kernelThread {@code PF_KTHREAD} in field 9 of {@code /proc/PID/stat}
 * @param unreadable   whether some of its files were denied to the scan
 * @param namespaces   the ten links of {@code /proc/PID/ns}
 * @param container    its container, pod or systemd unit from {@code /proc/PID/cgroup}, or null
 */
@Schema(
        description = "One process, like a row of `ps -e -o pid,ppid,user,stat,cgroupns,ipcns,mntns,netns,pidns,"
                + "userns,utsns,cmd`, with its container.")
public record ProcessView(
        @Schema(description = "The PID on the host.", example = "5438")
        int pid,

        @Schema(
                description = "The parent's PID on the host (field 4 of /proc/PID/stat); 0 for PID 1 and kthreadd.",
                example = "5431")
        int ppid,

        @Schema(
                description = "The owner of /proc/PID (its effective UID); null if unreadable.",
                nullable = true,
                example = "0")
        Integer uid,

        @Schema(
                description = "That UID's user name on the host, or the number when it has none; null if unreadable.",
                nullable = true,
                example = "root")
        String user,

        @Schema(
                description = "The state letter, field 3 of /proc/PID/stat (R running, S sleeping, D disk sleep, "
                        + "Z zombie, T stopped, I idle...); ? when unreadable.",
                example = "S")
        String state,

        @Schema(description = "The command name, field 2 of /proc/PID/stat (what pstree shows).", example = "init")
        String comm,

        @Schema(
                description = "The command line as lsns shows it: /proc/PID/cmdline with spaces between arguments, "
                        + "or comm when empty (kernel threads, zombies).",
                example = "/sbin/init")
        String command,

        @Schema(
                description = "The process's PID in each PID namespace it is in, from the host's down to its own "
                        + "(NSpid in /proc/PID/status); empty if unreadable.",
                example = "[5438, 1]")
        List<Integer> nspid,

        @Schema(description = "Its number of threads (field 20 of /proc/PID/stat).", example = "1")
        int threads,

        @Schema(
                description = "Whether it is a kernel thread (PF_KTHREAD in the flags of /proc/PID/stat).",
                example = "false")
        boolean kernelThread,

        @Schema(
                description = "Whether some of its files were denied to the scan (not root, hidepid); what they "
                        + "hold is null or empty.",
                example = "false")
        boolean unreadable,

        @Schema(description = "The namespace each link of /proc/PID/ns points to.")
        NamespaceInodes namespaces,

        @Schema(
                description = "Its container, pod or systemd unit, from /proc/PID/cgroup; null when the cgroup path "
                        + "names none.",
                nullable = true)
        ContainerView container) {

    static ProcessView of(ProcessInfo p) {
        return new ProcessView(
                p.pid(),
                p.ppid(),
                p.uid(),
                p.user(),
                String.valueOf(p.state()),
                p.comm(),
                Redaction.command(p.command()),
                p.nspid(),
                p.threads(),
                p.kernelThread(),
                p.unreadable(),
                NamespaceInodes.of(p),
                ContainerView.of(p.container()));
    }
}
