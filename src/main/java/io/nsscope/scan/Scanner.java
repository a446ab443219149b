package io.nsscope.scan;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.procfs.Cmdline;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcCgroup;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStat;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.ProcfsReadException;
import io.nsscope.process.Container;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every process of a procfs tree into a {@link Snapshot}. One scan at a time (the cache guarantees it), its
 * reads spread over a small pool of its own; what never changes for a process (its NSpid, a namespace's owner and
 * parent) is kept from the last scan.
 *
 * <p>Races are normal on a live host and never fail a scan: a process that exits while it is read is skipped
 * and counted as vanished, whatever errno the kernel gave ({@link ProcFs} tells); a file the kernel denies us is
 * left out and the process kept and counted as unreadable; a file of a live process failing with any other errno
 * leaves that process unreadable (and is logged once). Only a fault of the procfs as a whole fails a scan: its root
 * cannot be listed, or every process listed in it vanished.
 */
public final class Scanner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final ProcFs procFs;
    private final Supplier<Passwd> passwd;
    private final ForkJoinPool pool;
    private final Clock clock;
    private final Sources sources;
    private final ProcessExtras extras;
    private final DescriptorSweep sweep = new DescriptorSweep();
    /** The last scan's hierarchy: a namespace's owner and parent do not change, so they are asked once. */
    private volatile Relations lastRelations = Relations.NONE;
    /** The last scan's processes by PID, whose NSpid a process keeps for life. */
    private volatile Map<Integer, ProcessInfo> lastProcesses = Map.of();
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
        this.extras = new ProcessExtras(procFs, sources);
    }

    /** Stops the reading threads. */
    @Override
    public void close() {
        pool.shutdownNow();
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
        Instant takenAt = clock.instant();
        long start = System.nanoTime();
        Passwd users = passwd.get();
        int[] pids = procFs.pids();
        Long procfsPidNs = procfsPidNamespace(pids);
        long nsfsDevice = sources.fds() || sources.sockets() ? procFs.nsfsDevice(pids) : -1;
        AtomicInteger vanished = new AtomicInteger();
        List<ProcessRead> reads = onPool(() -> IntStream.of(pids).parallel()
                .mapToObj(pid -> readOrNull(pid, users, procfsPidNs, nsfsDevice, vanished, sequence))
                .filter(p -> p != null)
                .toList());
        if (pids.length > 0 && reads.isEmpty()) {
            throw new IOException("every one of the " + pids.length + " processes listed in " + procFs.root()
                    + " vanished while being read: the procfs itself is gone");
        }
        List<ProcessInfo> processes = reads.stream().map(ProcessRead::info).toList();
        List<LooseThread> looseThreads = reads.stream().flatMap(r -> r.looseThreads().stream()).toList();
        List<NamespaceRef> refs = new ArrayList<>();
        reads.forEach(r -> refs.addAll(r.namespaceFds()));
        if (sources.mounts()) {
            refs.addAll(onPool(() -> MountHolders.read(procFs, processes)));
        }
        Map<Integer, List<SocketHeld>> sockets = sources.sockets() ? SocketHolders.read(reads) : Map.of();
        sockets.values().forEach(held -> held.forEach(h -> refs.add(h.ref())));
        sweep.remember(reads, sockets);
        Relations relations = sources.hierarchy()
                ? Relations.resolve(procFs, processes, looseThreads, refs, lastRelations)
                : Relations.NONE;
        lastRelations = relations;
        Map<Integer, ProcessInfo> byPid = new HashMap<>(processes.size() * 2);
        processes.forEach(p -> byPid.put(p.pid(), p));
        lastProcesses = byPid;
        return Snapshot.built(sequence, takenAt, start, processes, vanished.get(),
                new Discovery(looseThreads, refs, relations, users));
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

    private ProcessRead readOrNull(int pid, Passwd users, Long procfsPidNs, long nsfsDevice, AtomicInteger vanished,
            long sequence) {
        try {
            ProcessInfo info = read(pid, users, procfsPidNs);
            return extras.read(info, sweep, sequence, nsfsDevice);
        } catch (ProcessVanishedException e) {
            vanished.incrementAndGet();
            return null;
        } catch (IOException e) {
            // A live process whose file failed with an errno that means neither "gone" nor "denied": a fault of
            // that one file, not of the scan. Kept as unreadable, as a process whose stat is denied is.
            String kind = e instanceof ProcfsReadException p ? p.getMessage().replaceAll("/[0-9]+/", "/PID/")
                    : e.getClass().getSimpleName();
            if (logged.add(kind)) {
                log.warn("process {} kept as unreadable: {} (logged once for this kind of failure)", pid,
                        e.toString());
            }
            return new ProcessRead(unreadable(pid), List.of(), List.of(), List.of(), List.of());
        }
    }

    /** A process of which nothing but the PID can be known: counted, with no namespaces. */
    private static ProcessInfo unreadable(int pid) {
        return new ProcessInfo(pid, 0, '?', "", "", null, null, List.of(), Map.of(), false, 0, true, null, 0);
    }

    /** Reads one process; {@link ProcessVanishedException} if it exits meanwhile. */
    ProcessInfo read(int pid, Passwd users, Long procfsPidNs) throws IOException {
        boolean denied = false;
        ProcStat stat;
        try {
            stat = ProcStat.read(procFs, pid);
        } catch (AccessDeniedException e) {
            return unreadable(pid); // nothing but the PID can be known; kept so that it is counted
        }
        String command;
        try {
            command = Cmdline.lsnsCommand(procFs.read(pid, "cmdline"), stat.comm());
        } catch (AccessDeniedException e) {
            command = stat.comm();
            denied = true;
        }
        Integer uid;
        try {
            uid = procFs.ownerUid(pid);
        } catch (AccessDeniedException e) {
            uid = null;
            denied = true;
        }
        NamespaceLinks links = NamespaceLinks.read(procFs, pid);
        List<Integer> nspid;
        Long pidNs = links.inodes().get(NamespaceLink.PID);
        ProcessInfo before = lastProcesses.get(pid);
        if (procfsPidNs != null && procfsPidNs.equals(pidNs)) {
            nspid = List.of(pid);
        } else if (before != null && before.startTime() == stat.startTime() && !before.nspid().isEmpty()) {
            nspid = before.nspid(); // the same process as last scan (PID and start time): its NSpid never changes
        } else {
            try {
                nspid = ProcStatus.read(procFs, pid).nspid();
            } catch (AccessDeniedException e) {
                nspid = List.of();
                denied = true;
            }
        }
        Container container;
        try {
            container = Container.fromCgroupPaths(ProcCgroup.read(procFs, pid).paths());
        } catch (AccessDeniedException e) {
            container = null;
            denied = true;
        } catch (NoSuchFileException e) {
            container = null; // a kernel without cgroups (the process is there: a vanished one is thrown as such)
        }
        return new ProcessInfo(pid, stat.ppid(), stat.state(), stat.comm(), command, uid,
                uid == null ? null : users.nameOf(uid), nspid, links.inodes(), stat.isKernelThread(), stat.threads(),
                denied || links.denied(), container, stat.startTime());
    }
}
