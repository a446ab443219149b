package io.nsscope.procfs;

import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link ProcFsErrnoUnderLocaleTest} in a JVM of its own, under a non-English C locale: prints what the JDK's
 * own messages say (translated) and what {@link ProcFs} makes of each errno, one {@code case=answer} line each.
 *
 * <p>Argument: a fake procfs root holding PID 77, whose {@code cmdline} cannot be read (EACCES), whose {@code status}
 * is a directory (EISDIR) and whose {@code stat} is a live process's.
 */
public final class ErrnoProbe {

    private ErrnoProbe() {}

    public static void main(String[] args) throws Exception {
        try (FileInputStream in = new FileInputStream("/nonexistent-nsscope-probe")) {
            System.out.println("jdk-message=(none)");
        } catch (IOException e) {
            System.out.println("jdk-message=" + e.getMessage());
        }
        ProcFs fake = new ProcFs(Path.of(args[0]));
        System.out.println("denied=" + outcome(() -> fake.read(77, "cmdline")));
        System.out.println("eisdir=" + outcome(() -> fake.read(77, "status")));
        System.out.println("missing-process=" + outcome(() -> fake.read(78, "stat")));
        System.out.println("missing-file=" + outcome(() -> fake.read(77, "environ")));

        // A zombie on the real kernel: sh forks `sleep 0` (which exits, unreaped) and execs into a long sleep.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 30").start();
        try {
            int zombie = awaitZombieChild(parent.pid());
            ProcFs proc = new ProcFs(Path.of("/proc"));
            System.out.println("zombie-mountinfo=" + outcome(() -> proc.read(zombie, "mountinfo")));
            System.out.println("zombie-environ=" + outcome(() -> proc.read(zombie, "environ")));
            System.out.println("zombie-ns-net=" + outcome(() -> proc.readLink(zombie, "ns/net")));
            System.out.println(
                    "zombie-stat=" + outcome(() -> ProcStat.read(proc, zombie).state()));
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private interface Read {
        Object run() throws IOException;
    }

    /** What came of a read: {@code ok:<value>}, or the exception's class (and errno for a ProcfsReadException). */
    private static String outcome(Read read) {
        try {
            Object value = read.run();
            return "ok:" + (value instanceof String s && s.length() > 20 ? s.substring(0, 20) : value);
        } catch (ProcfsReadException e) {
            return e.getClass().getSimpleName() + ":" + e.code();
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static int awaitZombieChild(long parent) {
        ProcFs proc = new ProcFs(Path.of("/proc"));
        return await().atMost(Duration.ofSeconds(10)).until(() -> zombieChild(proc, parent), pid -> pid > 0);
    }

    private static int zombieChild(ProcFs proc, long parent) throws IOException {
        for (int pid : proc.pids()) {
            try {
                ProcStat stat = ProcStat.read(proc, pid);
                if (stat.ppid() == parent && stat.state() == 'Z') {
                    return pid;
                }
            } catch (IOException | RuntimeException e) {
                // another process, gone meanwhile
            }
        }
        return -1;
    }
}
