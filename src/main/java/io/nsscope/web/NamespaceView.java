package io.nsscope.web;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.nsscope.web.security.Redaction;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One namespace as a row of {@code lsns -J -l --output-all} (the same keys with the same meanings), plus what else
 * keeps it alive and where it sits in the hierarchy.
 *
 * @param ns           the namespace's inode number ({@code lsns} NS)
 * @param type         its type, the kernel's name
 * @param path         a path that names it: {@code /proc/<pid>/ns/<type>} of its lowest-PID process, else a bind
 *                     mount, a thread's or a descriptor's path; null for a ghost
 * @param nprocs       the number of processes in it
 * @param pid          the lowest PID in it; null when none
 * @param ppid         that process's parent PID
 * @param command      that process's command line ({@code comm} for kernel threads)
 * @param uid          that process's UID; for a namespace without processes, the UID owning it
 *                     ({@link Namespace#uid()})
 * @param user         that UID's user name
 * @param netnsid      net namespaces: the ID nsscope's network namespace gives it ({@code RTM_GETNSID})
 * @param nsfs         the bind-mount paths in the host's mount namespace, newline-separated (lsns NSFS)
 * @param pns          the parent namespace's inode ({@code NS_GET_PARENT}, lsns PNS)
 * @param ons          the owning user namespace's inode ({@code NS_GET_USERNS}, lsns ONS)
 * @param ownerUid     user namespaces: the creator's UID ({@code NS_GET_OWNER_UID})
 * @param holders      bind mounts, descriptors and sockets referring to it, in every mount namespace
 * @param looseThreads threads in it whose process is not
 * @param ghost        found only by walking up from a descendant
 * @param container    the container, pod or systemd unit of the lowest-PID process (from its cgroup)
 * @param sandbox      the id of the running nsscope sandbox that made it ({@code POST /sandboxes}), or null
 */
@Schema(description = "One namespace, as a row of `lsns -J -l --output-all`, plus its holders and hierarchy.")
public record NamespaceView(
        @Schema(
                description = "The namespace's inode number on nsfs: the number in `readlink /proc/PID/ns/TYPE` "
                        + "and lsns's NS column.",
                example = "4026532342")
        long ns,

        @Schema(
                description = "The namespace's type, as the kernel names it.",
                example = "pid",
                allowableValues = {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"})
        String type,

        @Schema(
                description = "A path that names the namespace: /proc/PID/ns/TYPE of its lowest-PID process; for a "
                        + "namespace without processes a bind mount, /proc/PID/task/TID/ns/TYPE or /proc/PID/fd/FD; "
                        + "null for a ghost.",
                example = "/proc/5438/ns/pid",
                nullable = true)
        String path,

        @Schema(
                description = "How many processes are in the namespace (threads are not counted); 0 for one held "
                        + "only by a mount, a descriptor, a socket, a thread or its descendants.",
                example = "12")
        int nprocs,

        @Schema(
                description = "The lowest PID in the namespace, as the host numbers it; null when it has none.",
                example = "5438",
                nullable = true)
        Integer pid,

        @Schema(description = "The parent PID of that lowest-PID process.", example = "5431", nullable = true)
        Integer ppid,

        @Schema(
                description = "The command line of that process, arguments joined by spaces (its name for kernel "
                        + "threads).",
                example = "/sbin/init",
                nullable = true)
        String command,

        @Schema(
                description = "The UID owning that process (its effective UID). For a namespace without processes, "
                        + "the UID owning the namespace: a user namespace's creator, else the creator of its owning "
                        + "user namespace (lsns 2.42's UID where it is right); null when unknown.",
                example = "0",
                nullable = true)
        Integer uid,

        @Schema(
                description = "That UID's user name on the host, or the number when it has none.",
                example = "root",
                nullable = true)
        String user,

        @Schema(
                description = "Network namespaces: the ID nsscope's network namespace gives it (RTM_GETNSID, as "
                        + "lsns's NETNSID): a number, or \"unassigned\"; null for other types or when unknown.",
                example = "unassigned",
                nullable = true)
        String netnsid,

        @Schema(
                description = "Where the namespace is bind-mounted (nsfs) in the host's mount namespace, "
                        + "newline-separated, as lsns's NSFS; null when nowhere.",
                example = "/run/netns/blue",
                nullable = true)
        String nsfs,

        @Schema(
                description = "Pid and user namespaces: the parent namespace's inode (NS_GET_PARENT, lsns's PNS). "
                        + "Null for other types, for the initial namespaces, and where the kernel refuses (EPERM).",
                example = "4026531836",
                nullable = true)
        Long pns,

        @Schema(
                description = "The owning user namespace's inode (NS_GET_USERNS, lsns's ONS); null for the initial "
                        + "user namespace or where the kernel refuses.",
                example = "4026531837",
                nullable = true)
        Long ons,

        @Schema(
                description = "User namespaces: the UID of the process that created it (NS_GET_OWNER_UID).",
                example = "1000",
                nullable = true)
        Integer ownerUid,

        @Schema(
                description = "Bind mounts (in every mount namespace), open descriptors and sockets that keep the "
                        + "namespace alive besides its processes.")
        List<HolderView> holders,

        @Schema(description = "Threads in this namespace whose process is not (they unshared or setns'd).")
        List<LooseThreadView> looseThreads,

        @Schema(
                description = "True when nothing but a descendant namespace holds it: it was found by walking up "
                        + "with NS_GET_PARENT or NS_GET_USERNS.",
                example = "false")
        boolean ghost,

        @Schema(
                description = "The container, pod or systemd unit of the lowest-PID process, recognised from its "
                        + "cgroup path; null when none is recognised or the namespace has no process.",
                nullable = true)
        ContainerView container,

        @Schema(
                description = "The id of the running sandbox (POST /sandboxes) that made this namespace; null for "
                        + "every other.",
                example = "sb-3f9a7c1e5b2d4a60",
                nullable = true)
        String sandbox) {

    /** A reference that keeps a namespace alive. */
    @Schema(description = "Something other than a member process that keeps the namespace alive.")
    public record HolderView(
            @Schema(
                    description = "mount: an nsfs bind mount; fd: an open descriptor of the namespace file; "
                            + "socket: a socket created in the (network) namespace.",
                    allowableValues = {"mount", "fd", "socket"},
                    example = "mount")
            String kind,

            @Schema(
                    description = "fd, socket: the process holding the descriptor; mount: the process whose "
                            + "/proc/PID/mountinfo shows the mount.",
                    example = "812")
            int pid,

            @Schema(description = "fd, socket: the descriptor number in /proc/PID/fd.", example = "3", nullable = true)
            Integer fd,

            @Schema(
                    description = "mount: the inode of the mount namespace the bind mount is in.",
                    example = "4026531841",
                    nullable = true)
            Long mountNamespace,

            @Schema(
                    description = "mount: the mount point, relative to that process's root.",
                    example = "/run/netns/blue",
                    nullable = true)
            String path) {

        static HolderView of(Holder h) {
            return new HolderView(h.kind().apiName(), h.pid(), h.fd(), h.mountNamespace(), h.path());
        }
    }

    /** A thread in the namespace whose process is elsewhere. */
    @Schema(description = "A thread in this namespace whose process is in another one.")
    public record LooseThreadView(
            @Schema(description = "The thread ID.", example = "5440")
            int tid,

            @Schema(description = "Its process ID.", example = "5438")
            int pid,

            @Schema(description = "The thread's name (/proc/PID/task/TID/comm).", example = "nsscope-sandbox")
            String comm) {}

    static NamespaceView of(Namespace ns, Snapshot snapshot, SandboxMarks.Marks sandboxes) {
        String kind = ns.type().kernelName();
        List<HolderView> holders = ns.holders().stream().map(HolderView::of).toList();
        List<LooseThreadView> threads = ns.looseThreads().stream()
                .map(tid -> snapshot.looseThreads().stream()
                        .filter(t -> t.tid() == tid)
                        .findFirst()
                        .map(t -> new LooseThreadView(t.tid(), t.pid(), t.comm()))
                        .orElse(new LooseThreadView(tid, 0, "")))
                .toList();
        Long hostMnt = snapshot.init().map(p -> p.namespace(NamespaceType.MNT)).orElse(null);
        List<String> nsfsPaths = ns.nsfsPaths(hostMnt);
        String nsfs = nsfsPaths.isEmpty() ? null : String.join("\n", nsfsPaths);
        String netnsid = ns.netnsid() == null
                ? null
                : ns.netnsid() == -1 ? "unassigned" : ns.netnsid().toString();
        ProcessInfo p =
                ns.lowestPid() == null ? null : snapshot.process(ns.lowestPid()).orElse(null);
        String path;
        if (p != null) {
            path = "/proc/" + p.pid() + "/ns/" + kind;
        } else if (!nsfsPaths.isEmpty()) {
            path = nsfsPaths.get(0);
        } else if (!threads.isEmpty()) {
            path = "/proc/" + threads.get(0).pid() + "/task/" + threads.get(0).tid() + "/ns/" + kind;
        } else {
            path = ns.holders().stream()
                    .filter(h -> h.fd() != null && h.kind() == Holder.Kind.FD)
                    .findFirst()
                    .map(h -> "/proc/" + h.pid() + "/fd/" + h.fd())
                    .orElse(null);
        }
        return new NamespaceView(
                ns.inode(),
                kind,
                path,
                ns.nprocs(),
                p == null ? null : p.pid(),
                p == null ? null : p.ppid(),
                p == null ? null : Redaction.command(p.command()),
                p == null ? ns.uid() : p.uid(),
                p == null ? ns.user() : p.user(),
                netnsid,
                nsfs,
                ns.parent(),
                ns.owner(),
                ns.ownerUid(),
                holders,
                threads,
                ns.ghost(),
                p == null ? null : ContainerView.of(p.container()),
                sandboxes.of(ns.inode()));
    }
}
