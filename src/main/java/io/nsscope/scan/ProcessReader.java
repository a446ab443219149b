package io.nsscope.scan;

import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStat;
import io.nsscope.procfs.SchedStatFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reads one process at a scan: whole if it is new, else only what can have changed since the last scan knew it.
 *
 * <p>A process is known by its PID and start time. For a known one the scheduler's counters of its threads are read
 * first ({@link Activity}: one small file per thread); if none of its threads ran, nothing it could change has
 * changed and what the last scan read is kept — but for what another process can change without it running: its
 * parent (when that exits: see {@link Scanner}) and its cgroup (re-read on its turn, one scan in
 * {@link #CGROUP_ROUNDS}). If some thread ran, its {@code stat}, {@code cmdline}, owner and {@code cgroup} are read
 * again, its {@code ns/} links if its first thread ran (no other thread can change them), the links of each other
 * thread that ran, and its descriptors as {@link DescriptorSweep} says. A PID seen for the first time, or under
 * another start time, or a process whose counters cannot be read, is read whole.
 */
final class ProcessReader {

    /**
     * In how many scans the cgroup of every process that did not run is read again once: another process can move it
     * to another cgroup (the moves of container runtimes and systemd are followed by the process running, and so are
     * seen at once).
     */
    static final int CGROUP_ROUNDS = 16;

    private final ProcFs procFs;
    private final ProcessFiles files;
    private final ProcessExtras extras;
    private final SchedStatFiles counters;

    ProcessReader(ProcFs procFs, Sources sources, SchedStatFiles counters) {
        this.procFs = procFs;
        this.counters = counters;
        this.files = new ProcessFiles(procFs);
        this.extras = new ProcessExtras(procFs, sources, counters);
    }

    /**
     * What one scan passes to every read.
     *
     * @param sequence    the scan's number: whose turn it is
     * @param users       the password database
     * @param renamed     whether it is another than the last scan's (every kept user name is looked up again)
     * @param procfsPidNs the procfs's own PID namespace (its processes' NSpid is their PID), null if unknown
     * @param nsfsDevice  the nsfs device, -1 if unknown
     */
    record Scan(long sequence, Passwd users, boolean renamed, Long procfsPidNs, long nsfsDevice) {}

    /**
     * Reads the process.
     *
     * @param before what the last scan knew under this PID, null if nothing
     * @throws io.nsscope.procfs.ProcessVanishedException if it exits meanwhile
     * @throws IOException a file of the live process failed with an unexpected errno
     */
    Known read(int pid, Known before, Scan scan) throws IOException {
        if (before != null && before.trackable()) {
            Activity now = Activity.read(procFs, counters, pid, before.multithreaded());
            if (now.sameAs(before.activity())) {
                return unchanged(before, now, scan);
            }
            ProcStat stat = files.stat(pid);
            if (stat != null && stat.startTime() == before.startTime()) {
                return changed(before, now, stat, scan);
            }
        }
        return whole(pid, before, scan);
    }

    /**
     * A process none of whose threads ran since the last scan: what it was, with its cgroup read again on its turn and,
     * on its descriptor sweep's turn, its descriptor table if it ran since that was last read whole. Nothing read and
     * nothing to name anew: the last scan's very record.
     */
    private Known unchanged(Known before, Activity now, Scan scan) throws IOException {
        ProcessFiles.Read read = before.files();
        if (scan.renamed()) {
            read = ProcessFiles.renamed(read, scan.users());
        }
        int pid = read.info().pid();
        if (Math.floorMod(pid, CGROUP_ROUNDS) == Math.floorMod(scan.sequence(), CGROUP_ROUNDS)) {
            read = files.withCgroup(read);
        }
        boolean table = DescriptorSweep.turn(pid, scan.sequence()) && !now.sameAs(before.atTable());
        if (read == before.files() && !(table && extras.readsDescriptors())) {
            return before;
        }
        return known(read, before, now, scan);
    }

    /** A known process some thread of which ran since the last scan. */
    private Known changed(Known before, Activity now, ProcStat stat, Scan scan) throws IOException {
        int pid = before.read().info().pid();
        if (stat.threads() > 1 && now.others().isEmpty()) {
            // it made threads since: their counters too, then its stat again (read after every counter)
            now = Activity.read(procFs, counters, pid, true);
            stat = files.stat(pid);
            if (stat == null || stat.startTime() != before.startTime()) {
                return whole(pid, null, scan);
            }
        }
        NamespaceLinks links =
                now.leaderRanSince(before.activity()) ? null : before.files().links();
        return known(files.again(before.files(), stat, links, scan.users()), before, now, scan);
    }

    /** A process seen for the first time (or whose counters tell nothing): every file. */
    private Known whole(int pid, Known before, Scan scan) throws IOException {
        Activity now = Activity.read(procFs, counters, pid, false);
        ProcStat stat = files.stat(pid);
        if (stat != null && stat.threads() > 1) {
            now = Activity.read(procFs, counters, pid, true);
            stat = files.stat(pid); // read after every counter
        }
        if (stat == null) {
            ProcessInfo nothing = ProcessFiles.unreadable(pid);
            return new Known(
                    new ProcessRead(nothing, List.of(), List.of(), List.of(), List.of()),
                    new ProcessFiles.Read(nothing, new NamespaceLinks(Map.of(), true), true),
                    now,
                    Map.of(),
                    null,
                    Known.NO_PARENT);
        }
        Known same = before != null && before.startTime() == stat.startTime() ? before : null;
        ProcessFiles.Read read = files.whole(
                pid,
                stat,
                scan.users(),
                scan.procfsPidNs(),
                same == null ? null : same.read().info());
        Known result = known(read, same, now, scan);
        return same == null ? result.withParentStart(Known.NO_PARENT) : result;
    }

    private Known known(ProcessFiles.Read read, Known before, Activity now, Scan scan) throws IOException {
        ProcessInfo info = read.info();
        ProcessExtras.Extras x =
                extras.read(info, before, now, DescriptorSweep.turn(info.pid(), scan.sequence()), scan.nsfsDevice());
        return new Known(
                new ProcessRead(info, x.looseThreads(), x.namespaceFds(), x.socketFds(), x.socketsHeld()),
                read,
                now,
                x.threads(),
                x.atTable(),
                before == null ? Known.NO_PARENT : before.parentStart());
    }

    /** The process with its {@code stat} read again (its parent exited): nothing else changed. */
    Known reparented(Known known) throws IOException {
        int pid = known.read().info().pid();
        ProcStat stat = files.stat(pid);
        if (stat == null || stat.startTime() != known.startTime()) {
            return known; // denied now, or gone and replaced: the next scan tells
        }
        ProcessFiles.Read read = files.withStat(known.files(), stat);
        ProcessRead r = known.read();
        return new Known(
                new ProcessRead(read.info(), r.looseThreads(), r.namespaceFds(), r.socketFds(), r.socketsHeld()),
                read,
                known.activity(),
                known.threads(),
                known.atTable(),
                known.parentStart());
    }
}
