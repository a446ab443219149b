package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a process from {@code /proc/<pid>/cmdline} (proc_pid_cmdline(5)): NUL-separated, empty for
 * kernel threads and zombies.
 *
 * @param args the arguments, {@code argv[0]} first
 */
public record Cmdline(List<String> args) {

    /** lsns reads at most BUFSIZ (8192) bytes of a cmdline. */
    private static final int LSNS_BUFSIZ = 8192;

    public Cmdline {
        args = List.copyOf(args);
    }

    /**
     * Parses the file's text. A trailing NUL ends the last argument; a process that rewrote its arguments
     * (setproctitle) may leave one long space-separated string with no NUL, which is kept as one argument.
     */
    public static Cmdline parse(String text) {
        List<String> args = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\0', start);
            if (end < 0) {
                end = text.length();
            }
            args.add(text.substring(start, end));
            start = end + 1;
        }
        return new Cmdline(args);
    }

    /** Reads and parses {@code <root>/<pid>/cmdline}. */
    public static Cmdline read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "cmdline"));
    }

    /**
     * The COMMAND that {@code lsns} (util-linux 2.38) shows, computed as it computes it from the raw file:
     * the first 8,192 bytes with every NUL turned into a space and the last character dropped (normally the
     * trailing NUL), or the command name ({@code comm}) when the file is empty (kernel threads, zombies).
     */
    public static String lsnsCommand(String rawText, String comm) {
        String text = rawText.length() > LSNS_BUFSIZ ? rawText.substring(0, LSNS_BUFSIZ) : rawText;
        if (text.isEmpty()) {
            return comm;
        }
        return text.substring(0, text.length() - 1).replace('\0', ' ');
    }
}
