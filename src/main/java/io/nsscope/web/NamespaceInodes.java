package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.process.ProcessInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The inode each link of {@code /proc/<pid>/ns/} points to (namespaces(7)), null where the link is absent (a
 * zombie has only some) or unreadable.
 *
 * @param cgroup          {@code ns/cgroup}
 * @param ipc             {@code ns/ipc}
 * @param mnt             {@code ns/mnt}
 * @param net             {@code ns/net}
 * @param pid             {@code ns/pid}
 * @param pidForChildren  {@code ns/pid_for_children}: where the process's next children will be
 * @param time            {@code ns/time}
 * @param timeForChildren {@code ns/time_for_children}
 * @param user            {@code ns/user}
 * @param uts             {@code ns/uts}
 */
@Schema(
        description = "The inode each of the ten links of /proc/PID/ns points to, as `ps -o cgroupns,ipcns,mntns,"
                + "netns,pidns,userns,utsns` shows them; null when the link is absent (zombies) or unreadable.")
public record NamespaceInodes(
        @Schema(description = "/proc/PID/ns/cgroup.", nullable = true, example = "4026531835")
        Long cgroup,

        @Schema(description = "/proc/PID/ns/ipc.", nullable = true, example = "4026531839")
        Long ipc,

        @Schema(description = "/proc/PID/ns/mnt.", nullable = true, example = "4026531841")
        Long mnt,

        @Schema(description = "/proc/PID/ns/net.", nullable = true, example = "4026531840")
        Long net,

        @Schema(description = "/proc/PID/ns/pid.", nullable = true, example = "4026531836")
        Long pid,

        @JsonProperty("pid_for_children")
        @Schema(
                name = "pid_for_children",
                description = "/proc/PID/ns/pid_for_children: the PID namespace the "
                        + "process's next children are created in (differs from pid after unshare(CLONE_NEWPID)).",
                nullable = true,
                example = "4026531836")
        Long pidForChildren,

        @Schema(description = "/proc/PID/ns/time.", nullable = true, example = "4026531834")
        Long time,

        @JsonProperty("time_for_children")
        @Schema(
                name = "time_for_children",
                description = "/proc/PID/ns/time_for_children: the time namespace the "
                        + "process's next children are created in.",
                nullable = true,
                example = "4026531834")
        Long timeForChildren,

        @Schema(description = "/proc/PID/ns/user.", nullable = true, example = "4026531837")
        Long user,

        @Schema(description = "/proc/PID/ns/uts.", nullable = true, example = "4026531838")
        Long uts) {

    static NamespaceInodes of(ProcessInfo p) {
        Map<NamespaceLink, Long> ns = p.namespaces();
        return new NamespaceInodes(
                ns.get(NamespaceLink.CGROUP),
                ns.get(NamespaceLink.IPC),
                ns.get(NamespaceLink.MNT),
                ns.get(NamespaceLink.NET),
                ns.get(NamespaceLink.PID),
                ns.get(NamespaceLink.PID_FOR_CHILDREN),
                ns.get(NamespaceLink.TIME),
                ns.get(NamespaceLink.TIME_FOR_CHILDREN),
                ns.get(NamespaceLink.USER),
                ns.get(NamespaceLink.UTS));
    }
}
