package io.nsscope.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many System V IPC objects an IPC namespace holds, from {@code /proc/sysvipc/shm}, {@code sem} and {@code msg}
 * (proc_sysvipc(5)): a header line, then one line per object. These files show the IPC namespace of the thread that
 * opens them, not of a process: read them on a thread that entered the namespace.
 *
 * @param sharedMemorySegments lines of {@code shm}
 * @param semaphoreSets        lines of {@code sem}
 * @param messageQueues        lines of {@code msg}
 */
public record SysvIpc(int sharedMemorySegments, int semaphoreSets, int messageQueues) {

    /** The number of objects a {@code /proc/sysvipc/*} file lists: its non-blank lines after the header. */
    public static int countEntries(String text) {
        int count = 0;
        boolean header = true;
        for (String line : text.split("\n")) {
            if (header) {
                header = false;
                continue;
            }
            if (!line.isBlank()) {
                count++;
            }
        }
        return count;
    }

    /** Reads the three files of {@code <procfs root>/sysvipc/} as the calling thread's IPC namespace shows them. */
    public static SysvIpc read(Path procRoot) throws IOException {
        Path dir = procRoot.resolve("sysvipc");
        return new SysvIpc(count(dir.resolve("shm")), count(dir.resolve("sem")), count(dir.resolve("msg")));
    }

    private static int count(Path file) throws IOException {
        return countEntries(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }
}
