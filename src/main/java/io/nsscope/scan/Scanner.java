package io.nsscope.scan;

import io.nsscope.procfs.Cmdline;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStat;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.process.ProcessInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Reads every process of a procfs tree into a {@link Snapshot}. Stateless between scans; one scan at a time
 * (the cache guarantees it), its reads spread over a small pool of its own.
 *
 * <p>Races are normal on a live host and never fail a scan: a process that exits while it is read is skipped
 * and counted as vanished; a file the kernel denies us is left out and the process kept and counted as
 * unreadable. Any other I/O error means the procfs itself is broken, so it fails the whole scan loudly and the
 * cache keeps serving the previous snapshot.
 */
public final class Scanner {

    private final ProcFs procFs;
    private final Supplier<Passwd> passwd;
    private final ForkJoinPool pool;
    private final Clock clock;

    public Scanner(ProcFs procFs, Supplier<Passwd> passwd, int parallelism, Clock clock) {
        this.procFs = procFs;
        this.passwd = passwd;
        this.pool = new ForkJoinPool(parallelism);
        this.clock = clock;
    }

    /** The procfs this scanner reads. */
    public ProcFs procFs() {
        return procFs;
    }

    /** Scans every process once. */
    public Snapshot scan(long sequence) throws IOException {
        Instant takenAt = clock.instant();
        long start = System.nanoTime();
        Passwd users = passwd.get();
        int[] pids = procFs.pids();
        AtomicInteger vanished = new AtomicInteger();
        List<ProcessInfo> processes;
        try {
            processes = pool.submit(() -> IntStream.of(pids).parallel()
                    .mapToObj(pid -> readOrNull(pid, users, vanished))
                    .filter(p -> p != null)
                    .toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("scan interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("scan failed", e.getCause());
        }
        return new Snapshot(sequence, takenAt, Duration.ofNanos(System.nanoTime() - start),
                new ArrayList<>(processes), vanished.get());
    }

    private ProcessInfo readOrNull(int pid, Passwd users, AtomicInteger vanished) {
        try {
            return read(pid, users);
        } catch (ProcessVanishedException e) {
            vanished.incrementAndGet();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read process " + pid + " in " + procFs.root(), e);
        }
    }

    /** Reads one process; {@link ProcessVanishedException} if it exits meanwhile. */
    ProcessInfo read(int pid, Passwd users) throws IOException {
        boolean denied = false;
        ProcStat stat;
        try {
            stat = ProcStat.read(procFs, pid);
        } catch (AccessDeniedException e) {
            // Nothing but the PID can be known; keep it so that it is counted, with no namespaces.
            return new ProcessInfo(pid, 0, '?', "", "", null, null, List.of(), Map.of(), false, true);
        }
        String command;
        try {
            command = Cmdline.lsnsCommand(procFs.read(pid, "cmdline"), stat.comm());
        } catch (AccessDeniedException e) {
            command = stat.comm();
            denied = true;
        }
        List<Integer> nspid;
        try {
            nspid = ProcStatus.read(procFs, pid).nspid();
        } catch (AccessDeniedException e) {
            nspid = List.of();
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
        return new ProcessInfo(pid, stat.ppid(), stat.state(), stat.comm(), command, uid,
                uid == null ? null : users.nameOf(uid), nspid, links.inodes(), stat.isKernelThread(),
                denied || links.denied());
    }
}
