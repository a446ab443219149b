package io.nsscope.details;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.nsscope.namespace.IdRange;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a namespace of each type holds, as seen from inside it: the {@code details} of {@code GET /namespaces/{ns}}.
 * Exactly one of the per-type members is set, the one of the namespace's type; the others are absent from the JSON.
 * Each per-type record ends with an {@code error}: null when everything was read, else why the fields left null
 * could not be.
 *
 * @param via    the PID (host numbering) of the process the details were read through, null if none could be
 * @param user   a user namespace's details
 * @param pid    a PID namespace's details
 * @param uts    a UTS namespace's details
 * @param net    a network namespace's details
 * @param mnt    a mount namespace's details
 * @param time   a time namespace's details
 * @param cgroup a cgroup namespace's details
 * @param ipc    an IPC namespace's details
 */
@Schema(
        name = "NamespaceDetails",
        description = "What the namespace holds, as seen from inside it, read when asked "
                + "(once per namespace and snapshot). Exactly one of the per-type objects is present: the one named "
                + "like the namespace's type.")
public record NamespaceDetails(
        @Schema(
                description = "The PID (on the host) of the process the details were read through: the namespace's "
                        + "lowest PID, or the next one if that process exited. Null if no process could be "
                        + "read through.",
                nullable = true,
                example = "5438")
        Integer via,

        @JsonInclude(JsonInclude.Include.NON_NULL) User user,
        @JsonInclude(JsonInclude.Include.NON_NULL) Pid pid,
        @JsonInclude(JsonInclude.Include.NON_NULL) Uts uts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Net net,
        @JsonInclude(JsonInclude.Include.NON_NULL) Mnt mnt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Time time,
        @JsonInclude(JsonInclude.Include.NON_NULL) Cgroup cgroup,
        @JsonInclude(JsonInclude.Include.NON_NULL) Ipc ipc) {

    static NamespaceDetails of(Integer via, Object typeDetails) {
        return new NamespaceDetails(
                via,
                typeDetails instanceof User u ? u : null,
                typeDetails instanceof Pid p ? p : null,
                typeDetails instanceof Uts u ? u : null,
                typeDetails instanceof Net n ? n : null,
                typeDetails instanceof Mnt m ? m : null,
                typeDetails instanceof Time t ? t : null,
                typeDetails instanceof Cgroup c ? c : null,
                typeDetails instanceof Ipc i ? i : null);
    }

    /** The per-type record that is set (null only for a hand-made empty value). */
    public WithError typeDetails() {
        for (WithError d : new WithError[] {user, pid, uts, net, mnt, time, cgroup, ipc}) {
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The error of the per-type record, or null. */
    public DetailError error() {
        WithError d = typeDetails();
        return d == null ? null : d.error();
    }

    /** The per-type records: each can say why it is (partly) empty. */
    public sealed interface WithError permits User, Pid, Uts, Net, Mnt, Time, Cgroup, Ipc {
        /** Why the fields left null could not be read; null when all were. */
        DetailError error();
    }

    /** A user namespace. */
    @Schema(
            name = "UserDetails",
            description = "A user namespace: its ID maps (/proc/PID/uid_map, gid_map, "
                    + "setgroups) and its owner (ioctl NS_GET_OWNER_UID).")
    public record User(
            @JsonProperty("uid_map")
            @Schema(
                    description = "/proc/PID/uid_map, line by line; empty when no map was " + "written yet.",
                    nullable = true)
            List<IdRange> uidMap,

            @JsonProperty("gid_map")
            @Schema(
                    description = "/proc/PID/gid_map, line by line; empty when no map was " + "written yet.",
                    nullable = true)
            List<IdRange> gidMap,

            @Schema(
                    description = "/proc/PID/setgroups: whether setgroups(2) is allowed inside.",
                    nullable = true,
                    allowableValues = {"allow", "deny"},
                    example = "deny")
            String setgroups,

            @Schema(
                    description = "The effective UID (in nsscope's user namespace) of the process that created the "
                            + "namespace.",
                    nullable = true,
                    example = "1000")
            Integer ownerUid,

            @Schema(
                    description = "That UID's user name on the host, or the number when it has none.",
                    nullable = true,
                    example = "nix")
            String owner,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}

    /** One member's PIDs. */
    @Schema(name = "PidMapEntry", description = "One process's PID in every PID namespace it is in.")
    public record PidMapEntry(
            @Schema(
                    description = "Its PID on the host (in the PID namespace of the procfs nsscope reads).",
                    example = "5438")
            int pid,

            @Schema(
                    description = "Its PID in each PID namespace from the host's down to this one (NSpid of "
                            + "/proc/PID/status); the last is the PID inside. Empty if it could not be read.",
                    example = "[5438, 1]")
            List<Integer> nspid) {}

    /** A PID namespace. */
    @Schema(
            name = "PidDetails",
            description =
                    "A PID namespace: its depth, its init and the PID map (from the " + "snapshot's NSpid lines).")
    public record Pid(
            @Schema(
                    description = "How deep it is nested: 0 for the host's PID namespace, 1 for a container's...",
                    nullable = true,
                    example = "1")
            Integer level,

            @Schema(
                    description = "The host PID of its init: the member whose PID inside is 1. Null if that process "
                            + "has exited (or is not a member).",
                    nullable = true,
                    example = "5438")
            Integer init,

            @Schema(description = "Every member with its PID in each PID namespace, by ascending host PID.")
            List<PidMapEntry> pidMap,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}

    /** A UTS namespace. */
    @Schema(
            name = "UtsDetails",
            description = "A UTS namespace: its names, read from /proc/sys/kernel/{hostname,"
                    + "domainname} by a thread that joined it (needs CAP_SYS_ADMIN: those files show the reading "
                    + "thread's namespace, and no per-process file shows them).")
    public record Uts(
            @Schema(description = "The host name inside (uname -n).", nullable = true, example = "box1")
            String hostname,

            @Schema(description = "The NIS domain name inside; (none) when unset.", nullable = true, example = "(none)")
            String domainname,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}

    /** A network interface. */
    @Schema(
            name = "NetInterface",
            description = "A network interface as `ip -br addr` shows it inside: from route "
                    + "netlink (RTM_GETLINK, RTM_GETADDR) on a thread that joined the namespace (source netlink), or "
                    + "from /proc/PID/net files (source procfs), which have no state, MTU, hardware address or peer.")
    public record NetInterface(
            @Schema(description = "Its name.", example = "veth0")
            String name,

            @Schema(
                    description = "Its index in the namespace; null if the procfs files name none for it (an "
                            + "interface that is down and has no IPv6 address).",
                    nullable = true,
                    example = "2")
            Integer index,

            @Schema(
                    description = "Its operational state (RFC 2863, as ip shows it); null from procfs.",
                    nullable = true,
                    example = "UP",
                    allowableValues = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"})
            String state,

            @Schema(
                    description = "The index of the interface it is linked to (a veth's peer), if any: ip's "
                            + "NAME@ifN; null from procfs.",
                    nullable = true,
                    example = "5")
            Integer linkIndex,

            @Schema(
                    description = "The ID, in this namespace, of the namespace that linked interface is in, if it is "
                            + "another one (IFLA_LINK_NETNSID); null from procfs.",
                    nullable = true,
                    example = "0")
            Integer linkNetnsid,

            @Schema(
                    description = "Its hardware address, if any; null from procfs.",
                    nullable = true,
                    example = "62:a1:0b:3c:4d:5e")
            String mac,

            @Schema(description = "Its MTU; null from procfs.", nullable = true, example = "1500")
            Integer mtu,

            @Schema(
                    description = "Its addresses, IPv4 then IPv6, as ADDRESS/PREFIX. From procfs: the IPv4 "
                            + "addresses the routing tables tie to it (none while it is down) and its IPv6 addresses, "
                            + "global before link-local.",
                    example = "[\"10.200.1.2/24\", \"fe80::60a1:bff:fe3c:4d5e/64\"]")
            List<String> addresses) {}

    /** Where a network namespace's interfaces were read. */
    public static final String NET_SOURCE_NETLINK = "netlink";

    public static final String NET_SOURCE_PROCFS = "procfs";

    /** A network namespace. */
    @Schema(name = "NetDetails", description = "A network namespace: its interfaces and addresses.")
    public record Net(
            @Schema(
                    description = "Where the interfaces were read: netlink (route netlink on a thread that joined "
                            + "the namespace: needs CAP_SYS_ADMIN) or procfs "
                            + "(/proc/PID/net/{dev,if_inet6,igmp,fib_trie,route}: names, indexes and addresses only).",
                    nullable = true,
                    allowableValues = {NET_SOURCE_NETLINK, NET_SOURCE_PROCFS},
                    example = NET_SOURCE_PROCFS)
            String source,

            @Schema(
                    description = "Its interfaces, by index (from procfs: in /proc/PID/net/dev's order).",
                    nullable = true)
            List<NetInterface> interfaces,

            @Schema(
                    description = "From procfs only: the namespace's IPv4 addresses (local routes of fib_trie) that "
                            + "no on-link route of /proc/PID/net/route ties to an interface, such as a /32 address. "
                            + "Empty from netlink, which ties every address to its interface.",
                    nullable = true,
                    example = "[\"10.231.10.5\"]")
            List<String> addressesWithoutInterface,

            @Schema(
                    description = "Why the fields left null could not be read; null when all were. From procfs: "
                            + "needs-capability, for the state, MTU, hardware address and peer.",
                    nullable = true)
            DetailError error)
            implements WithError {}

    /** The mount at {@code /}. */
    @Schema(name = "RootMount", description = "The mount at / inside (the topmost, if mounts are stacked there).")
    public record RootMount(
            @Schema(description = "The mount source.", example = "/dev/vda1")
            String source,

            @Schema(description = "The filesystem type.", example = "ext4")
            String fsType,

            @Schema(description = "The path within the filesystem that is mounted at /.", example = "/")
            String fsRoot,

            @Schema(
                    description = "Its propagation, as findmnt -o PROPAGATION names it.",
                    example = "shared",
                    allowableValues = {"shared", "private", "shared,slave", "private,slave", "unbindable"})
            String propagation) {}

    /** A mount namespace. */
    @Schema(name = "MntDetails", description = "A mount namespace, from /proc/PID/mountinfo.")
    public record Mnt(
            @Schema(description = "How many mounts it has.", nullable = true, example = "27")
            Integer mounts,

            @Schema(description = "The mount at /; null if there is none.", nullable = true)
            RootMount root,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}

    /** A clock's offset. */
    @Schema(name = "ClockOffset", description = "An offset added to a clock inside a time namespace.")
    public record ClockOffset(
            @Schema(description = "Whole seconds (may be negative).", example = "86400")
            long seconds,

            @Schema(description = "Nanoseconds, 0 to 999999999.", example = "0")
            long nanoseconds) {}

    /** A time namespace. */
    @Schema(
            name = "TimeDetails",
            description = "A time namespace: /proc/PID/timens_offsets of a process whose "
                    + "time_for_children is this namespace.")
    public record Time(
            @Schema(description = "The offset of CLOCK_MONOTONIC.", nullable = true)
            ClockOffset monotonic,

            @Schema(description = "The offset of CLOCK_BOOTTIME.", nullable = true)
            ClockOffset boottime,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}

    /** One cgroup hierarchy's root. */
    @Schema(name = "CgroupRoot", description = "The namespace's root in one cgroup hierarchy.")
    public record CgroupRoot(
            @Schema(description = "The hierarchy ID: 0 is cgroup v2.", example = "0")
            int hierarchy,

            @Schema(description = "The v1 controllers of the hierarchy; empty for v2.", example = "")
            String controllers,

            @Schema(
                    description = "The path, as nsscope's cgroup namespace sees it, of the cgroup that is / inside; "
                            + "null if the process read through is outside the namespace's root.",
                    nullable = true,
                    example = "/system.slice/box.scope")
            String root,

            @Schema(description = "That process's cgroup as seen inside.", example = "/")
            String inside) {}

    /** A cgroup namespace. */
    @Schema(
            name = "CgroupDetails",
            description = "A cgroup namespace: its root, from /proc/PID/cgroup read from "
                    + "nsscope's cgroup namespace and from a thread that joined this one (needs CAP_SYS_ADMIN: the "
                    + "file shows paths relative to the reading thread's cgroup namespace).")
    public record Cgroup(
            @Schema(
                    description = "The root on the cgroup v2 hierarchy (else the first hierarchy's): the path of the "
                            + "cgroup that is / inside.",
                    nullable = true,
                    example = "/system.slice/box.scope")
            String root,

            @Schema(description = "The root on every hierarchy of /proc/PID/cgroup.", nullable = true)
            List<CgroupRoot> hierarchies,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}

    /** An IPC namespace. */
    @Schema(
            name = "IpcDetails",
            description = "An IPC namespace: its System V objects, counted in "
                    + "/proc/sysvipc/{shm,sem,msg} by a thread that joined it (needs CAP_SYS_ADMIN: those files list "
                    + "the reading thread's namespace).")
    public record Ipc(
            @Schema(description = "System V shared memory segments.", nullable = true, example = "1")
            Integer sharedMemorySegments,

            @Schema(description = "System V semaphore sets.", nullable = true, example = "0")
            Integer semaphoreSets,

            @Schema(description = "System V message queues.", nullable = true, example = "0")
            Integer messageQueues,

            @Schema(description = "Why the fields left null could not be read; null when all were.", nullable = true)
            DetailError error)
            implements WithError {}
}
