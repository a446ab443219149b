package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.LooseThread;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcFs;
import io.nsscope.testing.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incremental scan on the real kernel, as root: a process already known to the scanner (scanned once, then idle)
 * changes its namespaces or descriptors by itself — {@code unshare(2)}, {@code setns(2)}, {@code execve(2)}, a
 * descriptor opened on a namespace file, a thread that unshares — and the next scans must see it, though they re-read
 * a known process only when its scheduler counters say it ran.
 *
 * <p>Each change is made by a small Python program (ctypes, no extra package) that waits on its standard input for a
 * command, makes the change, and answers {@code ok}: when the answer is read, the change is made, and no polling is
 * needed.
 */
class IncrementalScanLiveIT {

    private static final int CLONE_NEWUTS = 0x04000000;
    private static final int CLONE_NEWNET = 0x40000000;

    /** Commands: unshare FLAGS | setns PATH | open PATH | thread-unshare FLAGS | exec ARGS... */
    private static final String AGENT = """
            import ctypes, os, sys, threading
            libc = ctypes.CDLL(None, use_errno=True)
            def check(rc):
                if rc != 0:
                    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            held = []
            go, done = threading.Event(), threading.Event()
            def loose():
                go.wait()
                check(libc.unshare(flags[0]))
                done.set()
                threading.Event().wait()
            flags = [0]
            t = threading.Thread(target=loose, daemon=True)
            t.start()
            print("ready", flush=True)
            for line in sys.stdin:
                cmd, _, arg = line.strip().partition(" ")
                if cmd == "unshare":
                    check(libc.unshare(int(arg)))
                elif cmd == "setns":
                    fd = os.open(arg, os.O_RDONLY)
                    check(libc.setns(fd, 0))
                    os.close(fd)
                elif cmd == "open":
                    held.append(os.open(arg, os.O_RDONLY))
                elif cmd == "thread-unshare":
                    flags[0] = int(arg)
                    go.set()
                    done.wait()
                elif cmd == "exec":
                    print("ok", flush=True)
                    os.execvp(arg.split()[0], arg.split())
                print("ok", flush=True)
            """;

    private final List<Process> started = new ArrayList<>();
    private Scanner scanner;
    private long sequence;

    @BeforeEach
    void requirements() throws IOException {
        assumeTrue(Fixtures.isRoot(), "needs root to make namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 for the test's agent");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1)");
        assumeTrue(
                Files.exists(Path.of("/proc/self/schedstat")),
                "needs a kernel with scheduler counters (CONFIG_SCHED_INFO): without them every scan reads all");
        Passwd passwd = Passwd.read(Path.of("/etc/passwd"));
        scanner = new Scanner(new ProcFs(Path.of("/proc")), () -> passwd, 2, Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (scanner != null) {
            scanner.close();
        }
    }

    @Test
    void aKnownProcessThatUnsharesIsSeenInItsNewNamespace() throws Exception {
        Agent agent = agent();
        long before = scan().process(agent.pid()).orElseThrow().namespace(NamespaceType.UTS);
        agent.command("unshare " + CLONE_NEWUTS);
        long now = inode(agent.pid(), "uts");
        assertThat(now).isNotEqualTo(before);
        Snapshot s = scan();
        assertThat(s.process(agent.pid()).orElseThrow().namespace(NamespaceType.UTS))
                .isEqualTo(now);
        assertThat(s.namespace(now).orElseThrow().pids()).contains(agent.pid());
    }

    @Test
    void aKnownProcessThatEntersAnotherNamespaceWithSetnsIsSeenThere() throws Exception {
        Process other = start("/usr/bin/unshare", "-n", "sleep", "1000");
        long otherNet = awaitOwnNet(other.pid());
        Agent agent = agent();
        assertThat(scan().process(agent.pid()).orElseThrow().namespace(NamespaceType.NET))
                .isNotEqualTo(otherNet);
        agent.command("setns /proc/" + other.pid() + "/ns/net");
        Snapshot s = scan();
        assertThat(s.process(agent.pid()).orElseThrow().namespace(NamespaceType.NET))
                .isEqualTo(otherNet);
        assertThat(s.namespace(otherNet).orElseThrow().pids()).contains(agent.pid());
    }

    @Test
    void aKnownProcessThatExecsIsSeenWithItsNewCommand() throws Exception {
        Agent agent = agent();
        assertThat(scan().process(agent.pid()).orElseThrow().comm()).startsWith("python3");
        agent.command("exec sleep 1001.5");
        // "ok" is printed before the exec: wait for the kernel to show the new program
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> Files.readString(Path.of("/proc/" + agent.pid() + "/comm"))
                        .strip()
                        .equals("sleep"));
        var p = scan().process(agent.pid()).orElseThrow();
        assertThat(p.comm()).isEqualTo("sleep");
        assertThat(p.command()).isEqualTo("sleep 1001.5");
    }

    @Test
    void aDescriptorOpenedOnANamespaceByAKnownProcessIsFoundWithinOneSweep() throws Exception {
        Process other = start("/usr/bin/unshare", "-n", "sleep", "1000");
        long otherNet = awaitOwnNet(other.pid());
        Agent agent = agent();
        scan();
        agent.command("open /proc/" + other.pid() + "/ns/net");
        other.destroyForcibly().waitFor(5, TimeUnit.SECONDS); // now only the descriptor holds it
        Snapshot s = null;
        for (int i = 0; i < DescriptorSweep.ROUNDS; i++) {
            s = scan();
        }
        Namespace held = s.namespace(otherNet).orElseThrow();
        assertThat(held.nprocs()).isZero();
        assertThat(held.holders())
                .extracting(Holder::kind, Holder::pid)
                .contains(org.assertj.core.groups.Tuple.tuple(Holder.Kind.FD, agent.pid()));
    }

    @Test
    void aThreadOfAKnownProcessThatUnsharesIsSeenAsALooseThread() throws Exception {
        Agent agent = agent();
        assertThat(scan().looseThreadsOf(agent.pid())).isEmpty();
        agent.command("thread-unshare " + CLONE_NEWNET);
        Snapshot s = scan();
        assertThat(s.looseThreadsOf(agent.pid()))
                .extracting(LooseThread::differing)
                .containsExactly(List.of(NamespaceLink.NET));
        long threadNet = s.looseThreadsOf(agent.pid()).get(0).namespaces().get(NamespaceLink.NET);
        assertThat(s.namespace(threadNet)).isPresent();
    }

    private Snapshot scan() throws IOException {
        return scanner.scan(++sequence);
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** The net namespace of {@code unshare -n}'s process once it is not its parent's any more. */
    private static long awaitOwnNet(long pid) {
        long host = inodeOrZero(1, "net");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> inodeOrZero(pid, "net") != host && inodeOrZero(pid, "net") != 0);
        return inodeOrZero(pid, "net");
    }

    private static long inode(long pid, String link) throws IOException {
        String target =
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + link)).toString();
        return Long.parseLong(target.substring(target.indexOf('[') + 1, target.length() - 1));
    }

    private static long inodeOrZero(long pid, String link) {
        try {
            return inode(pid, link);
        } catch (IOException e) {
            return 0;
        }
    }

    private Agent agent() throws IOException {
        Process p = start("/usr/bin/python3", "-c", AGENT);
        Agent agent = new Agent(
                p,
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        assertThat(agent.in().readLine()).isEqualTo("ready");
        return agent;
    }

    private record Agent(Process process, BufferedReader in, Writer out) {

        int pid() {
            return (int) process.pid();
        }

        void command(String line) throws IOException {
            out.write(line + "\n");
            out.flush();
            assertThat(in.readLine()).as("the agent's answer to %s", line).isEqualTo("ok");
        }
    }
}
