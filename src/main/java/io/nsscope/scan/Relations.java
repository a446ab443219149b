package io.nsscope.scan;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.NamespaceFiles;
import io.nsscope.jna.RouteNetlink;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.ProcFs;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where each namespace sits: its owning user namespace, its parent (pid and user namespaces), a user namespace's
 * owner UID and a net namespace's ID, asked of the kernel through the nsfs ioctls (ioctl_ns(2)) on a namespace file
 * opened through a member process, a thread, a descriptor or a bind mount. Walking up finds ancestors that nothing
 * else holds ("ghosts").
 *
 * <p>The kernel refuses some answers: EPERM for a namespace outside nsscope's user namespace (and for the initial
 * namespaces' parent and owner), EINVAL/ENOTTY where a type has no such relation. Those are "unknown" (null), never
 * an error. A path that no longer opens (the process exited, its PID now another's) is skipped for the next one.
 */
final class Relations {

    /**
     * @param parent   {@code NS_GET_PARENT}
     * @param owner    {@code NS_GET_USERNS}
     * @param ownerUid {@code NS_GET_OWNER_UID}
     * @param netnsid  {@code RTM_GETNSID}
     */
    record Relation(Long parent, Long owner, Integer ownerUid, Integer netnsid) {
        static final Relation UNKNOWN = new Relation(null, null, null, null);
    }

    static final Relations NONE = new Relations(Map.of(), Map.of(), Map.of(), false);

    /** The process through which a namespace was asked: PID and start time. */
    record Via(int pid, long startTime) {}

    private static final Set<Errno> NO_ANSWER =
            EnumSet.of(Errno.EPERM, Errno.EACCES, Errno.EINVAL, Errno.ENOTTY, Errno.ENOSYS, Errno.EOPNOTSUPP);

    private final Map<Long, Relation> byInode;
    private final Map<Long, NamespaceType> ghosts;
    private final Map<Long, Via> via;
    /** Whether the ID of some net namespace could not be asked in this resolution. */
    private final boolean netnsidsUnasked;

    private Relations(
            Map<Long, Relation> byInode, Map<Long, NamespaceType> ghosts, Map<Long, Via> via, boolean netnsidsUnasked) {
        this.byInode = byInode;
        this.ghosts = ghosts;
        this.via = via;
        this.netnsidsUnasked = netnsidsUnasked;
    }

    /**
     * Whether the ID of some net namespace could not be asked (no netlink socket, or an errno that means no answer):
     * the scanner then asks every ID again next time, instead of keeping what it could not learn.
     */
    boolean netnsidsUnasked() {
        return netnsidsUnasked;
    }

    /** Whether both say the same of the same namespaces (the processes they were asked through do not count). */
    boolean sameAs(Relations other) {
        return this == other || byInode.equals(other.byInode) && ghosts.equals(other.ghosts);
    }

    Relation of(long inode) {
        return byInode.getOrDefault(inode, Relation.UNKNOWN);
    }

    /** The ancestors found only by walking up, by inode. */
    Map<Long, NamespaceType> ghosts() {
        return ghosts;
    }

    /**
     * Resolves every namespace found. A namespace asked through the same process as last time (same PID, same start
     * time, still in a namespace with that inode) is the same namespace, and a namespace's owner and parent never
     * change: its answers, and the ghosts above it, are taken from {@code previous} without asking the kernel again.
     * (Inode numbers are reused once a namespace is gone, PIDs once a process is: the two together name one
     * namespace.) A net namespace's ID is asked again for each one carried over: it can be given at any time.
     */
    static Relations resolve(
            ProcFs procFs,
            List<ProcessInfo> processes,
            List<LooseThread> looseThreads,
            List<NamespaceRef> refs,
            Relations previous) {
        return resolve(procFs, processes, looseThreads, refs, previous, true);
    }

    /**
     * As {@link #resolve(ProcFs, List, List, List, Relations)}, asking again the ID of a net namespace carried over
     * only if {@code askNetnsids}: false when nsscope's network namespace has given or dropped no ID since the last
     * scan asked ({@link NetnsidWatch}). A namespace seen for the first time is always asked.
     */
    static Relations resolve(
            ProcFs procFs,
            List<ProcessInfo> processes,
            List<LooseThread> looseThreads,
            List<NamespaceRef> refs,
            Relations previous,
            boolean askNetnsids) {
        Map<Long, Access> known = new LinkedHashMap<>();
        for (ProcessInfo p : processes) {
            for (NamespaceType type : NamespaceType.values()) {
                Long inode = p.namespace(type);
                if (inode != null) {
                    Access access = known.computeIfAbsent(inode, k -> new Access(type));
                    if (access.via == null) {
                        access.via = new Via(p.pid(), p.startTime());
                    }
                    if (access.wantsMore()) {
                        access.add(NamespaceOpener.of(
                                procFs.pidDir(p.pid()).resolve("ns").resolve(type.kernelName())));
                    }
                }
            }
        }
        for (LooseThread t : looseThreads) {
            for (NamespaceLink link : t.differing()) {
                if (link == NamespaceLink.of(link.type())) {
                    known.computeIfAbsent(t.namespaces().get(link), k -> new Access(link.type()))
                            .add(NamespaceOpener.of(procFs.pidDir(t.pid())
                                    .resolve("task")
                                    .resolve(Integer.toString(t.tid()))
                                    .resolve("ns")
                                    .resolve(link.fileName())));
                }
            }
        }
        for (NamespaceRef ref : refs) {
            Access access = known.computeIfAbsent(ref.inode(), k -> new Access(ref.type()));
            if (ref.access() != null) {
                access.add(ref.access());
            }
        }
        return new Walker(known, previous, askNetnsids).run();
    }

    /** A namespace's type and up to three ways to open it. */
    private static final class Access {
        final NamespaceType type;
        final List<NamespaceOpener> openers = new ArrayList<>(3);
        Via via;

        Access(NamespaceType type) {
            this.type = type;
        }

        boolean wantsMore() {
            return openers.size() < 3;
        }

        void add(NamespaceOpener opener) {
            if (wantsMore()) {
                openers.add(opener);
            }
        }
    }

    /** One resolution: opens each namespace once and walks up from it. */
    private static final class Walker {
        private final Map<Long, Access> known;
        private final Relations previous;
        private final Map<Long, Relation> relations = new HashMap<>();
        private final Map<Long, NamespaceType> ghosts = new LinkedHashMap<>();
        private final Map<Long, Via> via = new HashMap<>();
        private final boolean askNetnsids;
        /** Whether some net namespace's ID could not be asked (no netlink socket, or no answer). */
        private boolean netnsidUnasked;

        private Fd netlink;
        private boolean netlinkOpened;

        Walker(Map<Long, Access> known, Relations previous, boolean askNetnsids) {
            this.known = known;
            this.previous = previous;
            this.askNetnsids = askNetnsids;
        }

        Relations run() {
            try {
                known.forEach(this::resolveKnown);
            } finally {
                if (netlink != null) {
                    netlink.close();
                }
            }
            return new Relations(relations, ghosts, via, netnsidUnasked);
        }

        private void resolveKnown(long inode, Access access) {
            if (access.via != null) {
                via.put(inode, access.via);
                if (access.via.equals(previous.via.get(inode)) && previous.byInode.containsKey(inode)) {
                    Relation r = previous.byInode.get(inode);
                    if (access.type == NamespaceType.NET && askNetnsids) {
                        // an ID can be given to a net namespace at any time (ip netns set): ask for it again
                        r = new Relation(r.parent(), r.owner(), r.ownerUid(), netnsidOf(inode, access));
                    }
                    relations.put(inode, r);
                    carryGhosts(r);
                    return;
                }
            }
            try (Fd fd = openMatching(inode, access)) {
                if (fd != null) {
                    relations.put(inode, describe(fd, access.type));
                }
            }
        }

        /**
         * The first of the namespace's ways in that still opens this namespace, or null. Whatever errno an open gives
         * (the process exited, the descriptor closed or now names something else...) only means "try the next".
         */
        private static Fd openMatching(long inode, Access access) {
            for (NamespaceOpener opener : access.openers) {
                Fd fd = null;
                try {
                    fd = opener.open();
                    if (fd != null && Descriptors.inode(fd) == inode) {
                        return fd;
                    }
                } catch (SyscallException e) {
                    // gone: the next way in
                }
                if (fd != null) {
                    fd.close(); // the PID or descriptor now names another namespace
                }
            }
            return null;
        }

        private Relation describe(Fd fd, NamespaceType type) {
            Long owner = related(() -> NamespaceFiles.owningUserNamespace(fd), NamespaceType.USER);
            Long parent = type == NamespaceType.PID || type == NamespaceType.USER
                    ? related(() -> NamespaceFiles.parentNamespace(fd), type)
                    : null;
            Integer ownerUid = type == NamespaceType.USER ? answer(() -> NamespaceFiles.ownerUid(fd)) : null;
            Integer netnsid = type == NamespaceType.NET ? askNetnsid(fd) : null;
            return new Relation(parent, owner, ownerUid, netnsid);
        }

        /** The socket that asks net namespaces' IDs, opened when the first is asked; null if there is none. */
        private Fd netlink() {
            if (!netlinkOpened) {
                netlinkOpened = true;
                try {
                    netlink = RouteNetlink.open();
                } catch (SyscallException e) {
                    netlink = null; // no netlink (a seccomp profile): net namespace IDs stay unknown
                }
            }
            return netlink;
        }

        private Integer netnsidOf(long inode, Access access) {
            if (netlink() == null) {
                netnsidUnasked = true;
                return null;
            }
            try (Fd fd = openMatching(inode, access)) {
                return fd == null ? null : askNetnsid(fd); // not opened: its process went, and it is unknown anyway
            }
        }

        /**
         * {@code RTM_GETNSID} for an open net namespace; null if it has no ID, or if it could not be asked, which
         * {@link #netnsidsUnasked()} then tells, so that the next scan asks again rather than keep the null.
         */
        private Integer askNetnsid(Fd fd) {
            if (netlink() == null) {
                netnsidUnasked = true;
                return null;
            }
            try {
                return RouteNetlink.netnsid(netlink, fd);
            } catch (SyscallException e) {
                if (NO_ANSWER.contains(e.errno())) {
                    netnsidUnasked = true;
                    return null;
                }
                throw e;
            }
        }

        /** The ghosts above a namespace whose answers were carried over: they live as long as it does. */
        private void carryGhosts(Relation r) {
            for (Long up : new Long[] {r.parent(), r.owner()}) {
                NamespaceType type = up == null ? null : previous.ghosts.get(up);
                if (type != null && !known.containsKey(up) && !ghosts.containsKey(up)) {
                    ghosts.put(up, type);
                    Relation above = previous.of(up);
                    relations.put(up, above);
                    carryGhosts(above);
                }
            }
        }

        /** Opens a related namespace, notes its inode, and describes it if nothing else holds it. */
        private Long related(Supplier<Fd> open, NamespaceType type) {
            try (Fd related = open.get()) {
                long inode = Descriptors.inode(related);
                if (!known.containsKey(inode) && !ghosts.containsKey(inode)) {
                    ghosts.put(inode, type);
                    relations.put(inode, describe(related, type));
                }
                return inode;
            } catch (SyscallException e) {
                if (NO_ANSWER.contains(e.errno())) {
                    return null;
                }
                throw e;
            }
        }

        private static <T> T answer(Supplier<T> call) {
            try {
                return call.get();
            } catch (SyscallException e) {
                if (NO_ANSWER.contains(e.errno())) {
                    return null;
                }
                throw e;
            }
        }
    }
}
