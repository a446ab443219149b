package io.nsscope.scan;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The namespace state of the host at one moment: every process read by one scan and the namespaces they are
 * in, with indexes. Immutable; requests are served from the current one (only the details of one namespace,
 * {@code GET /namespaces/{ns}}, read procfs, through {@code details}, once per snapshot).
 */
public final class Snapshot {

    private final long sequence;
    private final Instant takenAt;
    private final Duration duration;
    private final List<ProcessInfo> processes;
    private final List<Namespace> namespaces;
    private final ScanCounts counts;
    /** The PIDs of {@link #processes}, in the same (ascending) order: looked up by binary search, no boxed keys. */
    private final int[] pids;

    private final Map<Long, Namespace> byInode;
    private final ProcessInfo init;
    private final List<LooseThread> looseThreads;
    private final int[] countByType;
    private final int[] persistentByType;
    /** What it was built from besides the processes: a scan that finds the same takes it over ({@link #again}). */
    private final Discovery discovery;

    /**
     * Builds a snapshot from the processes one scan read, grouping them into namespaces as {@code lsns} does:
     * a process is in the namespace its {@code /proc/<pid>/ns/<type>} link points to.
     */
    public Snapshot(long sequence, Instant takenAt, Duration duration, List<ProcessInfo> processes, int vanished) {
        this(sequence, takenAt, 0, duration, processes, vanished, Discovery.NONE);
    }

    /**
     * Builds the snapshot of a scan that started at {@code startNanos} ({@link System#nanoTime()}): its duration
     * counts the reading and the building of the snapshot.
     */
    static Snapshot built(
            long sequence,
            Instant takenAt,
            long startNanos,
            List<ProcessInfo> processes,
            int vanished,
            Discovery discovery) {
        return new Snapshot(sequence, takenAt, startNanos, null, processes, vanished, discovery);
    }

    private Snapshot(
            long sequence,
            Instant takenAt,
            long startNanos,
            Duration fixedDuration,
            List<ProcessInfo> processes,
            int vanished,
            Discovery discovery) {
        this.sequence = sequence;
        this.takenAt = takenAt;
        this.discovery = discovery;
        this.countByType = new int[NamespaceType.values().length];
        this.persistentByType = new int[NamespaceType.values().length];
        List<ProcessInfo> sorted = new ArrayList<>(processes);
        sorted.sort(Comparator.comparingInt(ProcessInfo::pid));
        this.processes = List.copyOf(sorted);
        this.pids = new int[sorted.size()];
        Map<Long, List<Integer>> members = new TreeMap<>();
        Map<Long, NamespaceType> types = new HashMap<>();
        int unreadable = 0;
        long threads = 0;
        ProcessInfo firstReadable = null;
        for (int i = 0; i < pids.length; i++) {
            ProcessInfo process = this.processes.get(i);
            pids[i] = process.pid();
            threads += process.threads();
            if (process.unreadable()) {
                unreadable++;
            }
            for (NamespaceType type : NamespaceType.values()) {
                Long inode = process.namespace(type);
                if (inode != null) {
                    members.computeIfAbsent(inode, k -> new ArrayList<>()).add(process.pid());
                    types.put(inode, type);
                }
            }
            if (firstReadable == null
                    && !process.unreadable()
                    && !process.namespaces().isEmpty()) {
                firstReadable = process;
            }
        }
        Map<Long, List<Holder>> holders = new HashMap<>();
        for (NamespaceRef ref : discovery.refs()) {
            types.putIfAbsent(ref.inode(), ref.type());
            members.putIfAbsent(ref.inode(), List.of());
            holders.computeIfAbsent(ref.inode(), k -> new ArrayList<>()).add(ref.holder());
        }
        Map<Long, List<Integer>> loose = new HashMap<>();
        this.looseThreads = List.copyOf(discovery.looseThreads());
        for (LooseThread t : looseThreads) {
            for (NamespaceLink link : t.differing()) {
                if (link == NamespaceLink.of(link.type())) {
                    Long inode = t.namespaces().get(link);
                    types.putIfAbsent(inode, link.type());
                    members.putIfAbsent(inode, List.of());
                    loose.computeIfAbsent(inode, k -> new ArrayList<>()).add(t.tid());
                }
            }
        }
        Relations relations = discovery.relations();
        relations.ghosts().forEach((inode, type) -> {
            types.putIfAbsent(inode, type);
            members.putIfAbsent(inode, List.of());
        });
        List<Namespace> list = new ArrayList<>(members.size());
        this.byInode = new HashMap<>(members.size() * 2);
        members.forEach((inode, pids) -> {
            Relations.Relation r = relations.of(inode);
            List<Integer> tids = loose.getOrDefault(inode, List.of());
            NamespaceType type = types.get(inode);
            Integer uid = pids.isEmpty() ? ownerUid(type, r, relations) : null;
            Namespace ns = new Namespace(
                    inode,
                    type,
                    pids,
                    r.parent(),
                    r.owner(),
                    r.ownerUid(),
                    holders.getOrDefault(inode, List.of()),
                    tids.stream().sorted().toList(),
                    r.netnsid(),
                    relations.ghosts().containsKey(inode),
                    uid,
                    uid == null ? null : discovery.users().nameOf(uid));
            countByType[ns.type().ordinal()]++;
            if (ns.persistent()) {
                persistentByType[ns.type().ordinal()]++;
            }
            list.add(ns);
            byInode.put(inode, ns);
        });
        this.namespaces = List.copyOf(list);
        this.counts = new ScanCounts(this.processes.size(), threads, unreadable, vanished);
        this.init = firstReadable;
        this.duration = fixedDuration != null ? fixedDuration : Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * A later scan's snapshot of the same namespaces, with the same processes in each: the namespaces and their
     * indexes are shared, the processes (whose other fields may have changed) indexed anew.
     */
    private Snapshot(
            Snapshot same, long sequence, Instant takenAt, long startNanos, List<ProcessInfo> processes, int vanished) {
        this.sequence = sequence;
        this.takenAt = takenAt;
        this.discovery = same.discovery;
        this.namespaces = same.namespaces;
        this.pids = same.pids; // the same processes, in the same (ascending) order: again() checked it
        this.byInode = same.byInode;
        this.looseThreads = same.looseThreads;
        this.countByType = same.countByType;
        this.persistentByType = same.persistentByType;
        this.processes = List.copyOf(processes);
        int unreadable = 0;
        long threads = 0;
        ProcessInfo firstReadable = null;
        for (ProcessInfo process : this.processes) {
            threads += process.threads();
            if (process.unreadable()) {
                unreadable++;
            }
            if (firstReadable == null
                    && !process.unreadable()
                    && !process.namespaces().isEmpty()) {
                firstReadable = process;
            }
        }
        this.init = firstReadable;
        this.counts = new ScanCounts(this.processes.size(), threads, unreadable, vanished);
        this.duration = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * The snapshot of a scan that found the namespaces this one was built from, with the same processes (PID, start
     * time) in each, in ascending PID order as a scan lists them; null if anything else differs. On a quiet host most
     * scans find the namespaces they found before, while some process or other ran (its state, name or thread count
     * changed): grouping thousands of processes into namespaces again would cost more than the reading did.
     */
    Snapshot again(
            long sequence,
            Instant takenAt,
            long startNanos,
            List<ProcessInfo> processes,
            int vanished,
            Discovery found) {
        if (found.users() != discovery.users() && !found.users().equals(discovery.users())) {
            return null;
        }
        if (!found.looseThreads().equals(discovery.looseThreads())
                || !sameRefs(found.refs(), discovery.refs())
                || !found.relations().sameAs(discovery.relations())
                || !sameMembers(processes, this.processes)) {
            return null;
        }
        return new Snapshot(this, sequence, takenAt, startNanos, processes, vanished);
    }

    /** The same processes (PID and start time, in the same order), each in the same namespaces. */
    private static boolean sameMembers(List<ProcessInfo> a, List<ProcessInfo> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            ProcessInfo x = a.get(i);
            ProcessInfo y = b.get(i);
            if (x != y
                    && (x.pid() != y.pid()
                            || x.startTime() != y.startTime()
                            || !x.namespaces().equals(y.namespaces()))) {
                return false;
            }
        }
        return true;
    }

    /** The same holders of the same namespaces, in the same order (how each can be opened does not count). */
    private static boolean sameRefs(List<NamespaceRef> a, List<NamespaceRef> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            NamespaceRef x = a.get(i);
            NamespaceRef y = b.get(i);
            if (x.inode() != y.inode() || x.type() != y.type() || !x.holder().equals(y.holder())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The UID that owns a namespace without processes (see {@link Namespace#uid()}): a user namespace's creator, else
     * the creator of its owning user namespace.
     */
    private static Integer ownerUid(NamespaceType type, Relations.Relation r, Relations relations) {
        if (type == NamespaceType.USER) {
            return r.ownerUid();
        }
        return r.owner() == null ? null : relations.of(r.owner()).ownerUid();
    }

    /** A number that grows with each scan of this run; with {@link #takenAt()} it names the snapshot. */
    public long sequence() {
        return sequence;
    }

    /** When the scan started: no state in the snapshot is older. */
    public Instant takenAt() {
        return takenAt;
    }

    /** How long the scan took. */
    public Duration duration() {
        return duration;
    }

    /** Every process read, by ascending PID. */
    public List<ProcessInfo> processes() {
        return processes;
    }

    /**
     * Every namespace found, by ascending inode (as {@code lsns} sorts them): those with processes, and those held
     * only by a bind mount, a descriptor, a socket, a thread, or (ghosts) their descendants.
     */
    public List<Namespace> namespaces() {
        return namespaces;
    }

    /** How many namespaces of this type the snapshot holds. */
    public int namespaceCount(NamespaceType type) {
        return countByType[type.ordinal()];
    }

    /** The threads whose namespaces differ from their process's, by process then thread ID. */
    public List<LooseThread> looseThreads() {
        return looseThreads;
    }

    /** The loose threads of one process. */
    public List<LooseThread> looseThreadsOf(int pid) {
        return looseThreads.stream().filter(t -> t.pid() == pid).toList();
    }

    /** How many namespaces of this type have no process (held by a mount, a descriptor, a socket, a thread or a
     * descendant). */
    public int persistentCount(NamespaceType type) {
        return persistentByType[type.ordinal()];
    }

    /** What the scan met. */
    public ScanCounts counts() {
        return counts;
    }

    public Optional<ProcessInfo> process(int pid) {
        int i = Arrays.binarySearch(pids, pid);
        return i < 0 ? Optional.empty() : Optional.of(processes.get(i));
    }

    public Optional<Namespace> namespace(long inode) {
        return Optional.ofNullable(byInode.get(inode));
    }

    /**
     * The host's reference process: the lowest PID whose namespace links could all be read (PID 1, or 2 —
     * {@code kthreadd} — where PID 1 is hidden from us). "Same as init" means "not containerised".
     */
    public Optional<ProcessInfo> init() {
        return Optional.ofNullable(init);
    }
}
