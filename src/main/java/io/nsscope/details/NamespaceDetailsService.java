package io.nsscope.details;

import io.nsscope.details.NamespaceDetails.CgroupRoot;
import io.nsscope.details.NamespaceDetails.ClockOffset;
import io.nsscope.details.NamespaceDetails.PidMapEntry;
import io.nsscope.details.NamespaceDetails.RootMount;
import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.IdMap;
import io.nsscope.procfs.Mountinfo;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcCgroup;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.SysvIpc;
import io.nsscope.procfs.TimensOffsets;
import io.nsscope.scan.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Reads the per-type details of one namespace ({@code GET /namespaces/{ns}}), through one of its processes, without
 * changing nsscope's own namespaces: per-process files under {@code /proc/<pid>/} where the kernel offers them
 * ({@code uid_map}, {@code mountinfo}, {@code timens_offsets}, {@code cgroup}, {@code net/*}), otherwise a throwaway
 * thread that joins the namespace ({@link NamespaceAccess}), which needs {@code CAP_SYS_ADMIN}: without it, what only
 * shows inside (uts names, System V IPC, the cgroup root, the interfaces' link fields) is reported as
 * {@code needs-capability} and the rest is read (docs/details.md). The process read through is the lowest PID of the namespace; if it exited
 * or left the namespace (its {@code ns/<type>} link, checked before and after the read, no longer points there), the
 * next one, and so on. A failure is reported in the details ({@link DetailError}), never thrown.
 *
 * <p>Cached per (namespace inode, snapshot sequence): the details of a namespace are read at most once per snapshot
 * (concurrent requests share the read), so the JSON and text forms agree, and entries of older snapshots are dropped
 * when a newer one is asked for. The details are thus as fresh as the snapshot, or a little fresher.
 */
public class NamespaceDetailsService {

    private static final int MAX_ENTRIES = 256;

    private final ProcFs procFs;
    private final NamespaceAccess access;
    private final Supplier<Passwd> passwd;
    private final Members members;
    private final Map<Key, FutureTask<NamespaceDetails>> cache = new ConcurrentHashMap<>();

    private record Key(long inode, long sequence) {}

    public NamespaceDetailsService(ProcFs procFs, NamespaceAccess access, Supplier<Passwd> passwd) {
        this.procFs = procFs;
        this.access = access;
        this.passwd = passwd;
        this.members = new Members(procFs);
    }

    /** The details of a namespace of this snapshot, read once per snapshot. */
    public NamespaceDetails details(Namespace ns, Snapshot snapshot) {
        Key key = new Key(ns.inode(), snapshot.sequence());
        FutureTask<NamespaceDetails> task = cache.get(key);
        if (task == null) {
            FutureTask<NamespaceDetails> mine = new FutureTask<>(() -> read(ns, snapshot));
            task = cache.putIfAbsent(key, mine);
            if (task == null) {
                task = mine;
                evict(snapshot.sequence());
                mine.run();
            }
        }
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NamespaceDetails.of(null, failed(ns.type(), DetailError.of(e)));
        } catch (ExecutionException e) {
            return NamespaceDetails.of(null, failed(ns.type(), DetailError.of(e.getCause())));
        }
    }

    private void evict(long current) {
        cache.keySet().removeIf(k -> k.sequence() < current);
        if (cache.size() > MAX_ENTRIES) {
            cache.clear();
        }
    }

    /** Reads the details now, without the cache. */
    public NamespaceDetails read(Namespace ns, Snapshot snapshot) {
        if (ns.type() == NamespaceType.PID) {
            return NamespaceDetails.of(ns.lowestPid(), pid(ns, snapshot));
        }
        NamespaceLink link = NamespaceLink.of(ns.type());
        List<Integer> candidates = ns.pids();
        if (ns.type() == NamespaceType.TIME) {
            // timens_offsets shows the process's time_for_children namespace: read through one whose it is.
            link = NamespaceLink.TIME_FOR_CHILDREN;
            candidates = Members.timeCandidates(ns, snapshot);
            if (candidates.isEmpty()) {
                return NamespaceDetails.of(
                        null,
                        failed(
                                ns.type(),
                                DetailError.notAvailable("no process has this "
                                        + "namespace as its time_for_children, whose timens_offsets would show it")));
            }
        }
        int tried = 0;
        for (int pid : candidates) {
            tried++;
            try {
                members.requireIn(pid, link, ns.inode());
                Object details = readThrough(ns, pid);
                members.requireIn(pid, link, ns.inode());
                return NamespaceDetails.of(pid, details);
            } catch (RuntimeException e) {
                if (!members.gone(pid, e)) {
                    return NamespaceDetails.of(pid, failed(ns.type(), DetailError.of(e)));
                }
            }
        }
        return NamespaceDetails.of(null, failed(ns.type(), DetailError.vanished(tried)));
    }

    private Path nsFile(int pid, NamespaceType type) {
        return procFs.pidDir(pid).resolve("ns").resolve(type.kernelName());
    }

    private Object readThrough(Namespace ns, int pid) {
        try {
            return switch (ns.type()) {
                case USER -> user(ns, pid);
                case UTS -> uts(ns, pid);
                case NET -> net(ns, pid);
                case MNT -> mnt(pid);
                case TIME -> time(pid);
                case CGROUP -> cgroup(ns, pid);
                case IPC -> ipc(ns, pid);
                case PID -> throw new IllegalArgumentException("pid details come from the snapshot");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private NamespaceDetails.User user(Namespace ns, int pid) throws IOException {
        List<IdRange> uidMap = ranges(IdMap.readUidMap(procFs, pid));
        List<IdRange> gidMap = ranges(IdMap.readGidMap(procFs, pid));
        String setgroups = IdMap.readSetgroups(procFs, pid);
        try {
            int owner = access.ownerUid(nsFile(pid, ns.type()), ns.inode());
            return new NamespaceDetails.User(
                    uidMap, gidMap, setgroups, owner, passwd.get().nameOf(owner), null);
        } catch (RuntimeException e) {
            if (members.gone(pid, e)) {
                throw e;
            }
            return new NamespaceDetails.User(uidMap, gidMap, setgroups, null, null, DetailError.of(e));
        }
    }

    private static List<IdRange> ranges(IdMap map) {
        return map.ranges();
    }

    private Object uts(Namespace ns, int pid) {
        Path kernel = procFs.root().resolve("sys/kernel");
        try {
            return access.inside(
                    nsFile(pid, ns.type()),
                    ns.type(),
                    ns.inode(),
                    () -> new NamespaceDetails.Uts(
                            slurp(kernel.resolve("hostname")), slurp(kernel.resolve("domainname")), null));
        } catch (NamespaceAccess.MissingCapabilityException e) {
            return failed(
                    ns.type(),
                    DetailError.needsCapability(
                            e.capability(),
                            "The host and domain names show only "
                                    + "inside the namespace (/proc/sys/kernel/{hostname,domainname} are the reading "
                                    + "thread's, and no "
                                    + "per-process file has them), and joining it (setns(2))"));
        }
    }

    /**
     * A network namespace: over route netlink inside it when nsscope may join it (everything {@code ip -br addr}
     * shows), else from {@code /proc/PID/net/} (names, indexes, addresses), saying what is missing and why.
     */
    private NamespaceDetails.Net net(Namespace ns, int pid) throws IOException {
        DetailError missing;
        try {
            return new NamespaceDetails.Net(
                    NamespaceDetails.NET_SOURCE_NETLINK,
                    access.interfaces(nsFile(pid, ns.type()), ns.inode()),
                    List.of(),
                    null);
        } catch (NamespaceAccess.MissingCapabilityException e) {
            missing = DetailError.needsCapability(
                    e.capability(),
                    "The interfaces come from /proc/PID/net "
                            + "(names, indexes, addresses); their state, MTU, hardware address and peer show only over "
                            + "route "
                            + "netlink inside the namespace, and joining it (setns(2))");
        } catch (SyscallException e) {
            if (e.errno() != Errno.EPERM && e.errno() != Errno.EACCES) {
                throw e;
            }
            // Refused although nsscope holds CAP_SYS_ADMIN (an LSM, a namespace of another user namespace).
            missing = DetailError.of(e);
        }
        ProcNetInterfaces.Result fromProcfs = ProcNetInterfaces.read(procFs, pid);
        return new NamespaceDetails.Net(
                NamespaceDetails.NET_SOURCE_PROCFS,
                fromProcfs.interfaces(),
                fromProcfs.addressesWithoutInterface(),
                missing);
    }

    private static String slurp(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
    }

    private NamespaceDetails.Mnt mnt(int pid) throws IOException {
        Mountinfo info = Mountinfo.read(procFs, pid);
        Mountinfo.Mount root = null;
        for (Mountinfo.Mount m : info.mounts()) {
            if (m.mountPoint().equals("/")) {
                root = m; // the last one: mounts stacked at / are listed in mount order
            }
        }
        RootMount rootMount =
                root == null ? null : new RootMount(root.source(), root.fsType(), root.root(), root.propagation());
        return new NamespaceDetails.Mnt(info.mounts().size(), rootMount, null);
    }

    private NamespaceDetails.Time time(int pid) throws IOException {
        TimensOffsets offsets = TimensOffsets.read(procFs, pid);
        return new NamespaceDetails.Time(offset(offsets.monotonic()), offset(offsets.boottime()), null);
    }

    private static ClockOffset offset(TimensOffsets.Offset o) {
        return new ClockOffset(o.seconds(), o.nanoseconds());
    }

    private Object cgroup(Namespace ns, int pid) throws IOException {
        ProcCgroup outside = ProcCgroup.read(procFs, pid);
        ProcCgroup inside;
        try {
            inside = access.inside(nsFile(pid, ns.type()), ns.type(), ns.inode(), () -> ProcCgroup.read(procFs, pid));
        } catch (NamespaceAccess.MissingCapabilityException e) {
            return failed(
                    ns.type(),
                    DetailError.needsCapability(
                            e.capability(),
                            "The namespace's root shows only from "
                                    + "inside it (/proc/PID/cgroup gives paths relative to the reading thread's cgroup "
                                    + "namespace), "
                                    + "and joining it (setns(2))"));
        }
        List<CgroupRoot> roots = new ArrayList<>();
        for (ProcCgroup.Entry out : outside.entries()) {
            for (ProcCgroup.Entry in : inside.entries()) {
                if (in.hierarchyId() == out.hierarchyId() && in.controllers().equals(out.controllers())) {
                    roots.add(new CgroupRoot(
                            out.hierarchyId(),
                            String.join(",", out.controllers()),
                            ProcCgroup.namespaceRoot(out.path(), in.path()),
                            in.path()));
                }
            }
        }
        String root = roots.stream()
                .filter(r -> r.hierarchy() == 0)
                .findFirst()
                .or(() -> roots.stream().findFirst())
                .map(CgroupRoot::root)
                .orElse(null);
        return new NamespaceDetails.Cgroup(root, List.copyOf(roots), null);
    }

    private Object ipc(Namespace ns, int pid) {
        SysvIpc counts;
        try {
            counts = access.inside(nsFile(pid, ns.type()), ns.type(), ns.inode(), () -> SysvIpc.read(procFs.root()));
        } catch (NamespaceAccess.MissingCapabilityException e) {
            return failed(
                    ns.type(),
                    DetailError.needsCapability(
                            e.capability(),
                            "The System V objects show only inside "
                                    + "the namespace (/proc/sysvipc/{shm,sem,msg} list the reading thread's, and no "
                                    + "per-process file "
                                    + "lists them), and joining it (setns(2))"));
        }
        return new NamespaceDetails.Ipc(
                counts.sharedMemorySegments(), counts.semaphoreSets(), counts.messageQueues(), null);
    }

    /** A PID namespace, from the snapshot alone: every member's NSpid. */
    static NamespaceDetails.Pid pid(Namespace ns, Snapshot snapshot) {
        List<PidMapEntry> map = new ArrayList<>(ns.nprocs());
        Integer level = null;
        Integer init = null;
        for (int pid : ns.pids()) {
            List<Integer> nspid = snapshot.process(pid).map(ProcessInfo::nspid).orElse(List.of());
            map.add(new PidMapEntry(pid, nspid));
            if (!nspid.isEmpty()) {
                if (level == null) {
                    level = nspid.size() - 1;
                }
                if (init == null && nspid.get(nspid.size() - 1) == 1) {
                    init = pid;
                }
            }
        }
        DetailError error = level == null
                ? new DetailError(DetailError.PERMISSION_DENIED, "no member's NSpid could be read")
                : null;
        return new NamespaceDetails.Pid(level, init, List.copyOf(map), error);
    }

    /** The per-type record of a type with every field null and the error set. */
    static Object failed(NamespaceType type, DetailError error) {
        return switch (type) {
            case USER -> new NamespaceDetails.User(null, null, null, null, null, error);
            case PID -> new NamespaceDetails.Pid(null, null, List.of(), error);
            case UTS -> new NamespaceDetails.Uts(null, null, error);
            case NET -> new NamespaceDetails.Net(null, null, null, error);
            case MNT -> new NamespaceDetails.Mnt(null, null, error);
            case TIME -> new NamespaceDetails.Time(null, null, error);
            case CGROUP -> new NamespaceDetails.Cgroup(null, null, error);
            case IPC -> new NamespaceDetails.Ipc(null, null, null, error);
        };
    }
}
