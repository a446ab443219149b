package io.nsscope.web;

import io.nsscope.namespace.Namespace;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One namespace as a row of {@code lsns -J -l --output-all}: the same keys with the same meanings.
 *
 * @param ns      the namespace's inode number ({@code lsns} NS)
 * @param type    its type, the kernel's name
 * @param path    {@code /proc/<pid>/ns/<type>} of its lowest-PID process, a path that names it
 * @param nprocs  the number of processes in it
 * @param pid     the lowest PID in it
 * @param ppid    that process's parent PID
 * @param command that process's command line ({@code comm} for kernel threads)
 * @param uid     that process's UID
 * @param user    that UID's user name
 * @param netnsid the network namespace's ID as the network stack knows it (not filled yet: {@code null})
 * @param nsfs    where the namespace is bind-mounted on nsfs (not filled yet: {@code null})
 * @param pns     the parent namespace's inode, pid and user namespaces (not filled yet: {@code null})
 * @param ons     the owning user namespace's inode (not filled yet: {@code null})
 */
@Schema(description = "One namespace, as a row of `lsns -J -l --output-all`.")
public record NamespaceView(
        @Schema(description = "The namespace's inode number on nsfs: the number in `readlink /proc/PID/ns/TYPE` "
                + "and lsns's NS column.", example = "4026532342") long ns,
        @Schema(description = "The namespace's type, as the kernel names it.", example = "pid",
                allowableValues = {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"}) String type,
        @Schema(description = "A path that names the namespace: /proc/PID/ns/TYPE of its lowest-PID process.",
                example = "/proc/5438/ns/pid") String path,
        @Schema(description = "How many processes are in the namespace (threads are not counted).",
                example = "12") int nprocs,
        @Schema(description = "The lowest PID in the namespace, as the host numbers it.", example = "5438") int pid,
        @Schema(description = "The parent PID of that lowest-PID process.", example = "5431") int ppid,
        @Schema(description = "The command line of that process, arguments joined by spaces (its name for kernel "
                + "threads).", example = "/sbin/init") String command,
        @Schema(description = "The UID owning that process (its effective UID).", example = "0") Integer uid,
        @Schema(description = "That UID's user name on the host, or the number when it has none.", example = "root")
        String user,
        @Schema(description = "Network namespaces: their ID in the network stack. Not filled yet.", nullable = true)
        String netnsid,
        @Schema(description = "Where the namespace is bind-mounted (nsfs). Not filled yet.", nullable = true)
        String nsfs,
        @Schema(description = "The parent namespace (pid and user namespaces). Not filled yet.", nullable = true)
        Long pns,
        @Schema(description = "The owning user namespace. Not filled yet.", nullable = true) Long ons) {

    static NamespaceView of(Namespace ns, Snapshot snapshot) {
        ProcessInfo p = snapshot.process(ns.lowestPid()).orElseThrow();
        return new NamespaceView(ns.inode(), ns.type().kernelName(),
                "/proc/" + p.pid() + "/ns/" + ns.type().kernelName(), ns.nprocs(), p.pid(), p.ppid(), Redaction.command(p.command()),
                p.uid(), p.user(), null, null, null, null);
    }
}
