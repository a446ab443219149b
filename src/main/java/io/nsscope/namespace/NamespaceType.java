package io.nsscope.namespace;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The eight kinds of Linux namespace, named as the kernel names them in {@code /proc/<pid>/ns/}
 * and as {@code lsns -t} and {@code pstree -N} accept them (see namespaces(7)).
 */
public enum NamespaceType {
    /** cgroup_namespaces(7), {@code CLONE_NEWCGROUP}: the cgroup root directory. */
    CGROUP(0x02000000),
    /** ipc_namespaces(7), {@code CLONE_NEWIPC}: System V IPC and POSIX message queues. */
    IPC(0x08000000),
    /** mount_namespaces(7), {@code CLONE_NEWNS}: mount points. */
    MNT(0x00020000),
    /** network_namespaces(7), {@code CLONE_NEWNET}: network devices, stacks, ports. */
    NET(0x40000000),
    /** pid_namespaces(7), {@code CLONE_NEWPID}: process IDs. */
    PID(0x20000000),
    /** time_namespaces(7), {@code CLONE_NEWTIME}: boot and monotonic clocks. */
    TIME(0x00000080),
    /** user_namespaces(7), {@code CLONE_NEWUSER}: user and group IDs. */
    USER(0x10000000),
    /** uts_namespaces(7), {@code CLONE_NEWUTS}: host name and NIS domain name. */
    UTS(0x04000000);

    private static final List<String> NAMES =
            Arrays.stream(values()).map(NamespaceType::kernelName).toList();

    private final String kernelName = name().toLowerCase(java.util.Locale.ROOT);
    private final int cloneFlag;

    NamespaceType(int cloneFlag) {
        this.cloneFlag = cloneFlag;
    }

    /**
     * The {@code CLONE_NEW*} flag of this type ({@code linux/sched.h}): what {@code unshare(2)} and {@code setns(2)}
     * take, and what the nsfs {@code NS_GET_NSTYPE} ioctl answers (ioctl_ns(2)).
     */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The kernel's name of this type: the file name in {@code /proc/<pid>/ns/} and the prefix of its link target. */
    public String kernelName() {
        return kernelName;
    }

    /** The type with this kernel name ({@code "net"}), if any; names are case-sensitive as in the kernel. */
    public static Optional<NamespaceType> fromKernelName(String name) {
        for (NamespaceType type : values()) {
            if (type.kernelName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The kernel names of all types, in declaration order (alphabetical). */
    public static List<String> kernelNames() {
        return NAMES;
    }
}
