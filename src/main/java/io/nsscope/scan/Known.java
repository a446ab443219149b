package io.nsscope.scan;

import java.util.List;
import java.util.Map;

/**
 * What one scan knew of a process, and under which scheduler counters it was read ({@link Activity}): the next scan
 * starts from it and re-reads only what may have changed (see {@link Scanner}).
 *
 * @param read        what was read: the process, its loose threads, the namespaces its descriptors and sockets held
 * @param files       its own files as read: the process, its {@code ns/} links, whether some file was denied
 * @param activity    its threads' counters, read before its files
 * @param threads     what each thread but the first showed, by thread ID (empty unless the threads source is on)
 * @param atTable     the counters when its descriptor table was last read whole; null if it never was
 * @param parentStart the start time of the process its {@code ppid} named when that scan ended, -1 if none was
 *                    listed, {@link #NO_PARENT} if not yet known, {@link #PARENT_GONE} if the one it named went
 *                    during that scan: a parent that exits hands its children to another, which only their
 *                    {@code stat} tells
 */
record Known(
        ProcessRead read,
        ProcessFiles.Read files,
        Activity activity,
        Map<Integer, ThreadSeen> threads,
        Activity atTable,
        long parentStart) {

    /** {@link #parentStart()} of a process whose parent is not to be checked (a new one, whose stat was just read). */
    static final long NO_PARENT = -2;

    /**
     * {@link #parentStart()} of a process whose {@code ppid} named a process that went during the scan: matches no
     * parent, so the next scan reads its {@code stat} again and learns the parent the kernel gave it.
     */
    static final long PARENT_GONE = -3;

    Known {
        threads = Map.copyOf(threads);
    }

    /**
     * Whether the next scan may trust the counters: they count, and the process's {@code stat} could be read (its
     * start time tells it from a later process under the same PID).
     */
    boolean trackable() {
        return activity.counts() && read.info().startTime() != 0;
    }

    /** Whether the process had more than one thread. */
    boolean multithreaded() {
        return read.info().threads() > 1 || !activity.others().isEmpty();
    }

    long startTime() {
        return read.info().startTime();
    }

    Known withRead(ProcessRead newRead) {
        return new Known(newRead, files, activity, threads, atTable, parentStart);
    }

    Known withParentStart(long start) {
        return start == parentStart ? this : new Known(read, files, activity, threads, atTable, start);
    }

    /** The same with the sockets found to hold a namespace (asked once, then carried over while they are held). */
    Known withSockets(List<SocketHeld> held) {
        return withRead(new ProcessRead(read.info(), read.looseThreads(), read.namespaceFds(), List.of(), held));
    }
}
