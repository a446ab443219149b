package io.nsscope.namespace;

/**
 * The ten symbolic links in {@code /proc/<pid>/ns/} (namespaces(7)): one per {@link NamespaceType}, plus
 * {@code pid_for_children} and {@code time_for_children}, the namespaces the process's future children
 * will be created in (after {@code unshare(CLONE_NEWPID)} or {@code unshare(CLONE_NEWTIME)} they differ
 * from {@code pid} and {@code time}).
 */
public enum NamespaceLink {
    CGROUP(NamespaceType.CGROUP),
    IPC(NamespaceType.IPC),
    MNT(NamespaceType.MNT),
    NET(NamespaceType.NET),
    PID(NamespaceType.PID),
    PID_FOR_CHILDREN(NamespaceType.PID),
    TIME(NamespaceType.TIME),
    TIME_FOR_CHILDREN(NamespaceType.TIME),
    USER(NamespaceType.USER),
    UTS(NamespaceType.UTS);

    private static final NamespaceLink[] MEMBERSHIP = new NamespaceLink[NamespaceType.values().length];

    static {
        for (NamespaceType type : NamespaceType.values()) {
            MEMBERSHIP[type.ordinal()] = valueOf(type.name());
        }
    }

    private final NamespaceType type;
    private final String fileName;

    NamespaceLink(NamespaceType type) {
        this.type = type;
        this.fileName = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type of namespace the link points to. */
    public NamespaceType type() {
        return type;
    }

    /** The file name in {@code /proc/<pid>/ns/}, e.g. {@code pid_for_children}. */
    public String fileName() {
        return fileName;
    }

    /** The link for a type's own membership ({@code pid}, not {@code pid_for_children}). */
    public static NamespaceLink of(NamespaceType type) {
        return MEMBERSHIP[type.ordinal()];
    }
}
