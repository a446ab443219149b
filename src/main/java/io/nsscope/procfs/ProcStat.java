package io.nsscope.procfs;

import java.io.IOException;

/**
 * The fields nsscope uses from {@code /proc/<pid>/stat} (proc_pid_stat(5)).
 *
 * @param pid       field 1, the process ID
 * @param comm      field 2, the command name ({@code comm}, at most 15 bytes, may contain spaces and
 *                  parentheses), without the surrounding parentheses
 * @param state     field 3, one of {@code R S D Z T t X I ...}
 * @param ppid      field 4, the parent's PID (0 for the init process and for {@code kthreadd})
 * @param flags     field 9, the kernel's {@code PF_*} flags ({@code PF_KTHREAD} = 0x00200000 marks a kernel thread)
 * @param threads   field 20, the number of threads in the process
 * @param startTime field 22, the start time in clock ticks since boot (a PID plus this identifies a process)
 */
public record ProcStat(int pid, String comm, char state, int ppid, long flags, int threads, long startTime) {

    private static final long PF_KTHREAD = 0x00200000L;

    /** Whether the kernel marks this task as a kernel thread. */
    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }

    /**
     * Parses the text of a {@code stat} file. The command name ends at the <em>last</em> {@code ')'}: a
     * process can name itself {@code "a) b ("}, so neither the first {@code ')'} nor spaces can be trusted.
     *
     * @throws IllegalArgumentException if the text is not a stat line
     */
    public static ProcStat parse(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviate(text));
        }
        int pid = Integer.parseInt(text.substring(0, open).trim());
        String comm = text.substring(open + 1, close);
        // The fields after the name, separated by single spaces: field n starts at at[n - 3]. Only the starts of the
        // first 20 are kept, and no string is made of them (one per field was most of what a scan allocated here).
        int from = close + 1;
        int to = text.length();
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        int[] at = new int[21];
        int fields = 0;
        at[fields++] = from;
        for (int i = from; i < to && fields < at.length; i++) {
            if (text.charAt(i) == ' ') {
                at[fields++] = i + 1;
            }
        }
        if (fields < 20) {
            throw new IllegalArgumentException("truncated /proc/<pid>/stat line: " + abbreviate(text));
        }
        return new ProcStat(
                pid,
                comm,
                text.charAt(at[0]),
                Integer.parseInt(text, at[1], end(text, at[1], to), 10),
                Long.parseUnsignedLong(text, at[6], end(text, at[6], to), 10),
                Integer.parseInt(text, at[17], end(text, at[17], to), 10),
                Long.parseUnsignedLong(text, at[19], end(text, at[19], to), 10));
    }

    /** Where the field starting at {@code from} ends: at the next space, or at {@code to}. */
    private static int end(String text, int from, int to) {
        int space = text.indexOf(' ', from);
        return space < 0 || space > to ? to : space;
    }

    /** Reads and parses {@code <root>/<pid>/stat}. */
    public static ProcStat read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "stat"));
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
