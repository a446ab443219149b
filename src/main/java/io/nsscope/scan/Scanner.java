package io.nsscope.scan;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.ProcfsReadException;
import io.nsscope.procfs.SchedStatFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every process of a procfs tree into a {@link Snapshot}. One scan at a time (the cache guarantees it), its
 * reads spread over a small pool of its own.
 *
 * <p>Scans are incremental. A process is known by its PID and start time; one seen for the first time is read whole,
 * one already known only for what can have changed since, which its threads' scheduler counters tell
 * ({@link ProcessReader}): on a quiet host a scan costs a listing of the procfs and one small read per process. What
 * never changes for a process (its NSpid, a namespace's owner and parent) is kept from the last scan. What another
 * process can change without it running is checked here: a process whose parent exited (or was replaced under its
 * PID) has its {@code stat} read again, since the kernel gave it another parent.
 *
 * <p>Races are normal on a live host and never fail a scan: a process that exits while it is read is skipped
 * and counted as vanished, whatever errno the kernel gave ({@link ProcFs} tells); a file the kernel denies us is
 * left out and the process kept and counted as unreadable; a file of a live process failing with any other errno
 * leaves that process unreadable (and is logged once). Only a fault of the procfs as a whole fails a scan: its root
 * cannot be listed, or every process listed in it vanished. A scan that fails changes nothing the next one starts
 * from.
 */
public final class Scanner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final ProcFs procFs;
    private final Supplier<Passwd> passwd;
    private final ForkJoinPool pool;
    private final Clock clock;
    private final Sources sources;
    private final ProcessReader reader;
    /** The processes' scheduler counters, their files held open between scans. */
    private final SchedStatFiles counters;
    /** Whether the net namespaces' IDs are to be asked again. */
    private final NetnsidWatch netnsids = new NetnsidWatch();

    private final MountHolders mounts = new MountHolders();
    /** The last scan's hierarchy: a namespace's owner and parent do not change, so they are asked once. */
    private volatile Relations lastRelations = Relations.NONE;
    /** What the last successful scan knew of each process, by PID. */
    private volatile Map<Integer, Known> known = Map.of();

    private volatile Passwd lastUsers;
    /** The last successful scan's snapshot, whose built state the next takes over if it finds the same. */
    private volatile Snapshot lastSnapshot;
    /** The procfs's own PID namespace and the nsfs device: fixed for the procfs, found once. */
    private volatile Long procfsPidNs;

    private volatile long nsfsDevice = -1;
    /** The kinds of unexpected read failure already logged (the file and errno): each is logged once. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public Scanner(ProcFs procFs, Supplier<Passwd> passwd, int parallelism, Clock clock) {
        this(procFs, passwd, parallelism, clock, Sources.DEFAULT);
    }

    public Scanner(ProcFs procFs, Supplier<Passwd> passwd, int parallelism, Clock clock, Sources sources) {
        this.procFs = procFs;
        this.passwd = passwd;
        this.pool = new ForkJoinPool(parallelism);
        this.clock = clock;
        this.sources = sources;
        this.counters = SchedStatFiles.of(procFs);
        this.reader = new ProcessReader(procFs, sources, counters);
    }

    /** Stops the reading threads. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            // A reader still in a pread must be done before the held files are closed, or it could read a number
            // that another open has since reused.
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counters.close();
        netnsids.close();
    }

    /** The procfs this scanner reads. */
    public ProcFs procFs() {
        return procFs;
    }

    /**
     * Scans every process once.
     *
     * @throws IOException if the procfs as a whole is broken: its root cannot be listed, or every process vanished
     */
    public Snapshot scan(long sequence) throws IOException {
        return scan(sequence, () -> false);
    }

    /**
     * Scans every process once, unless {@code abandon} turns true while the processes are read: then the reads left
     * are skipped and the scan ends with a {@link ScanAbandonedException}, changing nothing the next scan starts from
     * (what a scan learns is kept only when it finishes).
     *
     * @throws IOException if the procfs as a whole is broken: its root cannot be listed, or every process vanished
     */
    Snapshot scan(long sequence, BooleanSupplier abandon) throws IOException {
        Instant takenAt = clock.instant();
        long start = System.nanoTime();
        Passwd users = passwd.get();
        int[] pids = procFs.pids();
        if (procfsPidNs == null) {
            procfsPidNs = procfsPidNamespace(pids);
        }
        if (nsfsDevice == -1 && (sources.fds() || sources.sockets())) {
            nsfsDevice = procFs.nsfsDevice(pids);
        }
        Map<Integer, Known> before = known;
        ProcessReader.Scan scan = new ProcessReader.Scan(
                sequence, users, lastUsers != null && !users.equals(lastUsers), procfsPidNs, nsfsDevice);
        AtomicInteger vanished = new AtomicInteger();
        AtomicBoolean skipped = new AtomicBoolean();
        List<Known> read = onPool(() -> IntStream.of(pids)
                .parallel()
                .mapToObj(pid -> {
                    if (abandon.getAsBoolean()) {
                        skipped.set(true);
                        return null;
                    }
                    return readOrNull(pid, before.get(pid), scan, vanished);
                })
                .filter(p -> p != null)
                .toList());
        if (skipped.get()) {
            throw new ScanAbandonedException();
        }
        if (pids.length > 0 && read.isEmpty()) {
            throw new IOException("every one of the " + pids.length + " processes listed in " + procFs.root()
                    + " vanished while being read: the procfs itself is gone");
        }
        Map<Integer, Known> byPid = new HashMap<>(read.size() * 2);
        read.forEach(k -> byPid.put(k.read().info().pid(), k));
        counters.sweep();
        reparent(byPid, vanished);
        List<ProcessRead> reads = new ArrayList<>(byPid.size()); // by ascending PID, as listed
        for (Known k : read) {
            Known now = byPid.get(k.read().info().pid());
            if (now != null) {
                reads.add(now.read());
            }
        }
        List<ProcessInfo> processes = reads.stream().map(ProcessRead::info).toList();
        List<LooseThread> looseThreads =
                reads.stream().flatMap(r -> r.looseThreads().stream()).toList();
        List<NamespaceRef> refs = new ArrayList<>();
        reads.forEach(r -> refs.addAll(r.namespaceFds()));
        if (sources.mounts()) {
            Set<Long> touched = touchedMountNamespaces(before, byPid);
            refs.addAll(onPool(() -> mounts.read(procFs, processes, touched, sequence)));
        }
        Map<Integer, List<SocketHeld>> sockets = sources.sockets() ? SocketHolders.read(reads) : Map.of();
        sockets.values().forEach(held -> held.forEach(h -> refs.add(h.ref())));
        Relations relations = sources.hierarchy()
                ? Relations.resolve(procFs, processes, looseThreads, refs, lastRelations, netnsids.askAgain())
                : Relations.NONE;
        Discovery discovery = new Discovery(looseThreads, refs, relations, users);
        Snapshot previous = lastSnapshot;
        Snapshot same = previous == null
                ? null
                : previous.again(sequence, takenAt, start, processes, vanished.get(), discovery);
        Snapshot snapshot =
                same != null ? same : Snapshot.built(sequence, takenAt, start, processes, vanished.get(), discovery);
        lastSnapshot = snapshot;
        lastRelations = relations;
        if (!relations.netnsidsUnasked()) {
            netnsids.asked(); // else owed still: what could not be asked is asked again next scan
        }
        remember(byPid, sockets);
        lastUsers = users;
        return snapshot;
    }

    /**
     * Reads again the {@code stat} of each process kept as it was whose parent is not the one it had: exited (the
     * kernel gave its children to another), exiting, or replaced by another process under the same PID.
     */
    private void reparent(Map<Integer, Known> byPid, AtomicInteger vanished) {
        for (Known k : List.copyOf(byPid.values())) {
            int ppid = k.read().info().ppid();
            if (k.parentStart() == Known.NO_PARENT || ppid <= 0) {
                continue;
            }
            Known parent = byPid.get(ppid);
            boolean same = parent != null
                    ? parent.startTime() == k.parentStart()
                            && parent.read().info().state() != 'Z'
                            && parent.read().info().state() != 'X'
                    : k.parentStart() == -1;
            if (!same) {
                try {
                    byPid.put(k.read().info().pid(), reader.reparented(k));
                } catch (ProcessVanishedException e) {
                    byPid.remove(k.read().info().pid());
                    vanished.incrementAndGet();
                } catch (IOException e) {
                    // A fault of that one stat file, not of the scan: kept as it was, and since its parent's start
                    // time is kept too, the next scan asks again.
                    logOnce(k.read().info().pid(), "kept with its last parent", e);
                }
            }
        }
    }

    /**
     * The mount namespaces whose tables a process of theirs can have changed since the last scan: those that a
     * process which ran, appeared or went since was in, then or now.
     */
    private static Set<Long> touchedMountNamespaces(Map<Integer, Known> before, Map<Integer, Known> now) {
        Set<Long> touched = new HashSet<>();
        now.forEach((pid, k) -> {
            Known was = before.get(pid);
            if (was == null || was.startTime() != k.startTime() || !k.activity().sameAs(was.activity())) {
                addMountNamespace(touched, k);
                addMountNamespace(touched, was);
            }
        });
        before.forEach((pid, was) -> {
            if (!now.containsKey(pid)) {
                addMountNamespace(touched, was);
            }
        });
        return touched;
    }

    private static void addMountNamespace(Set<Long> touched, Known k) {
        Long mnt = k == null ? null : k.read().info().namespace(NamespaceType.MNT);
        if (mnt != null) {
            touched.add(mnt);
        }
    }

    /** Logs an unexpected read failure of one process's file once per kind (the file and errno). */
    private void logOnce(int pid, String outcome, IOException e) {
        String kind = e instanceof ProcfsReadException p
                ? p.getMessage().replaceAll("/[0-9]+/", "/PID/")
                : e.getClass().getSimpleName();
        if (logged.add(kind)) {
            log.warn("process {} {}: {} (logged once for this kind of failure)", pid, outcome, e.toString());
        }
    }

    /** Keeps what this scan knew for the next: each process with its parent's start time and its sockets. */
    private void remember(Map<Integer, Known> byPid, Map<Integer, List<SocketHeld>> sockets) {
        Map<Integer, Known> next = new HashMap<>(byPid.size() * 2);
        byPid.forEach((pid, k) -> {
            int ppid = k.read().info().ppid();
            Known parent = byPid.get(ppid);
            // A ppid naming no process of this scan is either none (0: init, kthreadd, or a parent outside the pid
            // namespace) or one that went while this scan ran, whose children the kernel has since handed on.
            long parentStart = parent != null ? parent.startTime() : ppid > 0 ? Known.PARENT_GONE : -1;
            Known kept = k.withParentStart(parentStart);
            List<SocketHeld> held = sockets.getOrDefault(pid, List.of());
            if (!kept.read().socketFds().isEmpty() || !held.equals(kept.read().socketsHeld())) {
                kept = kept.withSockets(held);
            }
            next.put(pid, kept);
        });
        known = next;
    }

    /** Runs a parallel stream on the scanner's own pool, with its failure (an I/O failure, an Error) as the scan's. */
    private <T> T onPool(Callable<T> task) throws IOException {
        try {
            return pool.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("scan interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("scan failed", e.getCause());
        }
    }

    /**
     * The PID namespace the procfs numbers processes in: that of the first process whose {@code NSpid} has a single
     * entry. A process in it has {@code NSpid} = its PID, so its {@code status} (the costliest file of a scan) need
     * not be read; {@code null} if none is found in the first few, and then every {@code status} is read.
     */
    Long procfsPidNamespace(int[] pids) {
        for (int i = 0; i < Math.min(pids.length, 16); i++) {
            try {
                NamespaceLinks links = NamespaceLinks.read(procFs, pids[i]);
                Long pidNs = links.inodes().get(NamespaceLink.PID);
                if (pidNs != null && ProcStatus.read(procFs, pids[i]).nspid().size() == 1) {
                    return pidNs;
                }
            } catch (ProcessVanishedException | IOException e) {
                // Try the next one: this one exited, or hides its namespaces from us.
            }
        }
        return null;
    }

    private Known readOrNull(int pid, Known before, ProcessReader.Scan scan, AtomicInteger vanished) {
        try {
            return reader.read(pid, before, scan);
        } catch (ProcessVanishedException e) {
            vanished.incrementAndGet();
            return null;
        } catch (IOException e) {
            // A live process whose file failed with an errno that means neither "gone" nor "denied": a fault of
            // that one file, not of the scan. Kept as unreadable, as a process whose stat is denied is; read whole
            // at the next scan.
            logOnce(pid, "kept as unreadable", e);
            ProcessInfo nothing = ProcessFiles.unreadable(pid);
            return new Known(
                    new ProcessRead(nothing, List.of(), List.of(), List.of(), List.of()),
                    new ProcessFiles.Read(nothing, new NamespaceLinks(Map.of(), true), true),
                    new Activity(Activity.UNKNOWN, Map.of(), false),
                    Map.of(),
                    null,
                    Known.NO_PARENT);
        }
    }
}
