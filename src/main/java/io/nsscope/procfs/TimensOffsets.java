package io.nsscope.procfs;

import java.io.IOException;

/**
 * The clock offsets of a time namespace, {@code /proc/<pid>/timens_offsets} (time_namespaces(7), Linux 5.6+):
 * {@code monotonic 86400 0} and {@code boottime 3600 0}, seconds and nanoseconds added to {@code CLOCK_MONOTONIC} and
 * {@code CLOCK_BOOTTIME} inside. Beware: the kernel shows the offsets of the process's {@code time_for_children}
 * namespace, which differs from its own {@code time} namespace after {@code unshare(CLONE_NEWTIME)} and before a fork.
 *
 * @param monotonic the offset of {@code CLOCK_MONOTONIC} (and its variants)
 * @param boottime  the offset of {@code CLOCK_BOOTTIME}
 */
public record TimensOffsets(Offset monotonic, Offset boottime) {

    /** Clock IDs that kernels before 5.6's final format may print instead of names. */
    private static final int CLOCK_MONOTONIC = 1;

    private static final int CLOCK_BOOTTIME = 7;

    /**
     * One clock's offset.
     *
     * @param seconds     whole seconds, may be negative
     * @param nanoseconds nanoseconds, 0 to 999999999
     */
    public record Offset(long seconds, long nanoseconds) {
        public static final Offset ZERO = new Offset(0, 0);
    }

    /** Parses the file's text; a clock the file does not list has offset zero. */
    public static TimensOffsets parse(String text) {
        Offset monotonic = Offset.ZERO;
        Offset boottime = Offset.ZERO;
        for (String[] f : Columns.of(text, 3, "timens_offsets")) {
            Offset offset = new Offset(Long.parseLong(f[1]), Long.parseLong(f[2]));
            switch (f[0]) {
                case "monotonic", "" + CLOCK_MONOTONIC -> monotonic = offset;
                case "boottime", "" + CLOCK_BOOTTIME -> boottime = offset;
                default -> throw new IllegalArgumentException("unknown clock in timens_offsets: " + f[0]);
            }
        }
        return new TimensOffsets(monotonic, boottime);
    }

    /** Reads and parses {@code <root>/<pid>/timens_offsets}. */
    public static TimensOffsets read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "timens_offsets"));
    }
}
