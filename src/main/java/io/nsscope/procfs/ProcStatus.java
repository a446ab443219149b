package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields nsscope uses from {@code /proc/<pid>/status} (proc_pid_status(5)).
 *
 * @param name  {@code Name:}, the command name (same as {@code comm})
 * @param tgid  {@code Tgid:}, the thread-group ID
 * @param ppid  {@code PPid:}, the parent's PID as seen from the reader's PID namespace
 * @param uids  {@code Uid:}, the real, effective, saved and filesystem UIDs (empty if absent)
 * @param gids  {@code Gid:}, the real, effective, saved and filesystem GIDs (empty if absent)
 * @param state the first letter of {@code State:}: {@code R}, {@code S}, {@code D}, {@code Z} (a zombie, which holds
 *              nothing but its PID and exit status)... or {@code ?} if absent
 * @param nspid {@code NSpid:} (Linux 4.1+), the process's PID in each PID namespace it is in, from the
 *              reader's namespace down to its own: {@code [5438, 1]} for a container's init. Empty if the kernel
 *              does not publish it.
 */
public record ProcStatus(
        String name, int tgid, int ppid, List<Integer> uids, List<Integer> nspid, List<Long> gids, char state) {

    public ProcStatus {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        nspid = List.copyOf(nspid);
    }

    /** Parses the text of a {@code status} file: {@code Key:<TAB>value} lines; unknown keys are ignored. */
    public static ProcStatus parse(String text) {
        String name = "";
        int tgid = 0;
        int ppid = 0;
        List<Integer> uids = List.of();
        List<Long> gids = List.of();
        List<Integer> nspid = List.of();
        char state = '?';
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int colon = text.indexOf(':', start);
            if (colon > start && colon < end) {
                String key = text.substring(start, colon);
                String value = text.substring(colon + 1, end).trim();
                switch (key) {
                    case "Name" -> name = value;
                    case "Tgid" -> tgid = Integer.parseInt(value);
                    case "PPid" -> ppid = Integer.parseInt(value);
                    case "Uid" -> uids = numbers(value);
                    case "Gid" ->
                        gids = numbers(value).stream()
                                .map(Integer::toUnsignedLong)
                                .toList();
                    case "State" -> state = value.isEmpty() ? '?' : value.charAt(0);
                    case "NSpid" -> nspid = numbers(value);
                    default -> {}
                }
            }
            start = end + 1;
        }
        return new ProcStatus(name, tgid, ppid, uids, nspid, gids, state);
    }

    /** Whether the process is a zombie: it has exited and waits for its parent to reap it. */
    public boolean zombie() {
        return state == 'Z';
    }

    /** Reads and parses {@code <root>/<pid>/status}. */
    public static ProcStatus read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "status"));
    }

    private static List<Integer> numbers(String value) {
        List<Integer> numbers = new ArrayList<>(4);
        for (String part : value.split("\\s+")) {
            if (!part.isEmpty()) {
                numbers.add(Integer.parseUnsignedInt(
                        part)); // a UID above 2^31-1 becomes a negative int (Integer.toUnsignedLong gives it back),
                // never an error
            }
        }
        return numbers;
    }
}
