package io.nsscope.procfs;

import io.nsscope.jna.Fd;
import io.nsscope.jna.RawFiles;
import io.nsscope.jna.SyscallException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code schedstat} files of the processes and threads a scan reads, kept open from one scan to the next and read
 * again with one {@code pread(2)} each ({@link RawFiles#readFromStart}), where reading by path costs an
 * {@code open(2)} (a lookup of the PID's directory and of the file, each revalidated), two reads and a
 * {@code close(2)}. The counters are read at every scan for every process (see {@link SchedStat}), so on a quiet host
 * this is most of what a scan asks of the kernel.
 *
 * <p>A procfs file opened for a PID stays the file of that very process (the kernel ties it to the process's
 * {@code struct pid}, not to its number): once the process is gone, the read fails with ESRCH even if the PID
 * already names another process. Any failed read of a held file closes it, and the file is opened anew by its path,
 * which finds the process now under the PID; if that fails too, the read by path ({@link SchedStat#read}) tells what
 * it means (vanished, denied, absent), as for a scan that holds nothing. {@code schedstat} checks no permission at read time ({@code proc_pid_schedstat} prints to anyone), so
 * a held file shows nothing its path would not.
 *
 * <p>What a held file costs: a descriptor, and about 4.5 KiB of kernel memory charged to nsscope's cgroup (the
 * seq_file's one-page buffer, which the kernel keeps while the file is open, and the open file). So at most
 * {@link #MAX_HELD} are held (4,096: about 18 MiB), and never more than a quarter of the descriptors the process may
 * open, by all the instances of the JVM together (the descriptors are the process's: a test JVM keeps several
 * application contexts, each with its scanner); the others are read by path. Only files of a real procfs are held (a fixture tree's files are plain files,
 * which a test replaces rather than rewrites). A file not read for a whole scan (its process or thread gone) is closed
 * by {@link #sweep()}.
 *
 * <p>Reads may come from any thread; {@link #sweep()} from one at a time, between scans.
 */
public final class SchedStatFiles implements AutoCloseable {

    /** The most files held open at once. */
    public static final int MAX_HELD = 4096;

    /** What every instance in this JVM holds, together: {@link #of} sizes it. */
    private static final Budget PROCESS = new Budget((int) Math.min(MAX_HELD, descriptorLimit() / 4));

    private final ProcFs procFs;
    /** What this instance holds, up to its capacity. */
    private final Budget own;

    private final Budget budget;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    /** The descriptors of the files held, to tell them in nsscope's own descriptor table. */
    private final Set<Integer> descriptors = ConcurrentHashMap.newKeySet();
    /** nsscope's own PID in this procfs ({@code <root>/self}), -1 if it is not in it. */
    private final int self;

    /** Which sweep the reads belong to: a held file last read in an earlier one was not read since that sweep. */
    private volatile long generation;

    private volatile boolean closed;

    private static final class Held {
        final Fd fd;
        volatile long readIn;

        Held(Fd fd, long readIn) {
            this.fd = fd;
            this.readIn = readIn;
        }
    }

    /** How many files may be held open: by one instance (its capacity), or by every instance sharing it. */
    static final class Budget {
        private final int limit;
        private final AtomicInteger used = new AtomicInteger();

        Budget(int limit) {
            this.limit = limit;
        }

        boolean take() {
            if (used.incrementAndGet() > limit) {
                used.decrementAndGet();
                return false;
            }
            return true;
        }

        void give() {
            used.decrementAndGet();
        }

        int used() {
            return used.get();
        }
    }

    /**
     * @param capacity how many files to hold open at most; 0 holds none (every read is by path). The JVM's own bound,
     *     a quarter of its descriptor limit, applies as well.
     */
    public SchedStatFiles(ProcFs procFs, int capacity) {
        this(procFs, capacity, PROCESS);
    }

    SchedStatFiles(ProcFs procFs, int capacity, Budget budget) {
        this.procFs = procFs;
        this.own = new Budget(capacity);
        this.budget = budget;
        this.self = selfPid(procFs);
    }

    private static int selfPid(ProcFs procFs) {
        try {
            return ProcFs.parsePid(RawFiles.readLink(procFs.root() + "/self"));
        } catch (SyscallException e) {
            return -1; // nsscope is not in this procfs's PID namespace
        }
    }

    /**
     * Whether descriptor {@code fd} of process {@code pid} is one of these files held open by nsscope itself: a procfs
     * file, so never a namespace nor a socket, and one of thousands that the descriptor source need not stat.
     */
    public boolean heldBy(int pid, int fd) {
        return pid == self && descriptors.contains(fd);
    }

    /**
     * The files of {@code procFs}: held open, up to {@link #MAX_HELD} and a quarter of the process's descriptor limit
     * (with every other instance's), if it is a procfs mount; else read by path each time.
     */
    public static SchedStatFiles of(ProcFs procFs) {
        return new SchedStatFiles(procFs, isProcfs(procFs) ? MAX_HELD : 0);
    }

    private static boolean isProcfs(ProcFs procFs) {
        try {
            return "proc".equals(Files.getFileStore(procFs.root()).type());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long descriptorLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return 0;
    }

    /** How many files are held open now. */
    public int held() {
        return own.used();
    }

    /** The counters of the process's first thread, {@code <root>/<pid>/schedstat}. */
    public SchedStat read(int pid) throws IOException {
        return read(pid, 0);
    }

    /** The counters of one thread, {@code <root>/<pid>/task/<tid>/schedstat}. */
    public SchedStat readTask(int pid, int tid) throws IOException {
        return read(pid, tid);
    }

    private SchedStat read(int pid, int tid) throws IOException {
        long key = ((long) pid << 32) | (tid & 0xffffffffL);
        Held h = held.get(key);
        if (h != null) {
            try {
                String text = RawFiles.readFromStart(h.fd);
                h.readIn = generation;
                return SchedStat.parse(text);
            } catch (SyscallException | IllegalArgumentException e) {
                release(key, h); // gone (ESRCH), or whatever else: read anew below
            }
        }
        if (reserve()) {
            boolean kept = false;
            Fd fd = null;
            try {
                fd = RawFiles.openForReading(
                        procFs.root() + "/" + pid + (tid == 0 ? "" : "/task/" + tid) + "/schedstat");
                SchedStat counters = SchedStat.parse(RawFiles.readFromStart(fd));
                keep(key, fd);
                kept = true;
                return counters;
            } catch (SyscallException | IllegalArgumentException e) {
                // what failed, and what it means (vanished, denied, absent), the read by path tells
            } finally {
                if (!kept) {
                    if (fd != null) {
                        fd.close();
                    }
                    unreserve();
                }
            }
        }
        return tid == 0 ? SchedStat.read(procFs, pid) : SchedStat.readTask(procFs, pid, tid);
    }

    /** Counts one more file held, if there is room for it. */
    private boolean reserve() {
        if (closed) {
            return false;
        }
        if (!own.take()) {
            return false;
        }
        if (!budget.take()) {
            own.give();
            return false;
        }
        return true;
    }

    /** Counts one file less held. */
    private void unreserve() {
        own.give();
        budget.give();
    }

    /** Holds an open file, counted already. */
    private void keep(long key, Fd fd) {
        Held mine = new Held(fd, generation);
        descriptors.add(fd.value());
        Held previous = held.put(key, mine);
        if (previous != null) {
            descriptors.remove(previous.fd.value());
            previous.fd.close(); // another thread held it meanwhile (never in a scan: one read per file)
            unreserve();
        }
        if (closed) {
            release(key, mine); // a read that ended after close()
        }
    }

    private void release(long key, Held h) {
        if (held.remove(key, h)) {
            descriptors.remove(h.fd.value());
            h.fd.close();
            unreserve();
        }
    }

    /**
     * Closes the files not read since the last sweep (their processes or threads are gone, or were not read), and
     * starts the next round. Called once a scan has read every process.
     */
    public void sweep() {
        long current = generation;
        held.forEach((key, h) -> {
            if (h.readIn != current) {
                release(key, h);
            }
        });
        generation = current + 1;
    }

    /** Closes every file held. */
    @Override
    public void close() {
        closed = true;
        held.forEach(this::release);
    }
}
