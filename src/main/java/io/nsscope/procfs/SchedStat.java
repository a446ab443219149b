package io.nsscope.procfs;

import java.io.IOException;

/**
 * The scheduler's counters of one task, from {@code /proc/<pid>/schedstat} or {@code /proc/<pid>/task/<tid>/schedstat}
 * (proc_pid_schedstat(5); the kernel's {@code Documentation/scheduler/sched-stats.rst}): three numbers that only grow
 * while the task runs.
 *
 * <p>nsscope reads them as the kernel's own change indicator. Whatever a task changes about itself — its namespaces
 * ({@code setns(2)}, {@code unshare(2)}), its credentials, its command line, its descriptors, an {@code execve(2)} —
 * it changes by running, and the kernel accounts every run: {@code sum_exec_runtime} grows (in nanoseconds, at the
 * latest when the task leaves the CPU, and at each scheduler tick while it stays on it) and {@code pcount} counts
 * each time the task is put on a CPU. Equal counters read twice mean the task did not run in between.
 *
 * <p>The numbers are the kernel's unsigned 64-bit counters, kept as their bits ({@link Long#toUnsignedString}).
 *
 * @param runtime    {@code se.sum_exec_runtime}: nanoseconds spent on a CPU
 * @param runDelay   {@code sched_info.run_delay}: nanoseconds spent waiting on a run queue
 * @param timeslices {@code sched_info.pcount}: how many times it was put on a CPU
 */
public record SchedStat(long runtime, long runDelay, long timeslices) {

    /**
     * Whether the counters say anything: a kernel built without {@code CONFIG_SCHED_INFO} prints {@code 0 0 0} (and
     * older kernels do so when scheduler statistics are switched off), as does a task that never ran.
     */
    public boolean counts() {
        return runtime != 0 || timeslices != 0;
    }

    /**
     * Parses the file's one line, {@code "<runtime> <run_delay> <pcount>\n"}.
     *
     * @throws IllegalArgumentException if the text is not three unsigned numbers
     */
    public static SchedStat parse(String text) {
        long[] values = new long[3];
        int field = 0;
        int i = 0;
        int n = text.length();
        while (field < 3) {
            int start = i;
            long value = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start || i - start > 20) { // a u64 has at most 20 digits; it is kept as its unsigned bits
                throw new IllegalArgumentException("not a schedstat line: " + ProcStat.abbreviate(text));
            }
            values[field++] = value;
            if (field < 3) {
                if (i >= n || text.charAt(i) != ' ') {
                    throw new IllegalArgumentException("not a schedstat line: " + ProcStat.abbreviate(text));
                }
                i++;
            }
        }
        if (i < n && text.charAt(i) != '\n') {
            throw new IllegalArgumentException("not a schedstat line: " + ProcStat.abbreviate(text));
        }
        return new SchedStat(values[0], values[1], values[2]);
    }

    /** Reads and parses {@code <root>/<pid>/schedstat}: the process's first thread (its thread-group leader). */
    public static SchedStat read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "schedstat"));
    }

    /** Reads and parses {@code <root>/<pid>/task/<tid>/schedstat}: one thread of the process. */
    public static SchedStat readTask(ProcFs procFs, int pid, int tid) throws IOException {
        return parse(procFs.read(pid, "task/" + tid + "/schedstat"));
    }
}
