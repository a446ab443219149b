package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.Passwd;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental scan on a small written procfs ({@link TinyProc}): a process already known is re-read only when its
 * scheduler counters say it ran, and every change a process can make, or the kernel makes for it, is still seen. Each
 * test first scans, then changes the tree as the kernel would, then scans again.
 */
class IncrementalScanFixtureTest {

    private static final long OTHER_NET = 4026532900L;
    private static final long OTHER_UTS = 4026532901L;

    @TempDir
    Path tmp;

    private TinyProc proc;
    private Scanner scanner;
    private long sequence;

    @BeforeEach
    void host() throws Exception {
        proc = new TinyProc(tmp)
                .process(1, 0, "init", "/sbin/init", 10)
                .process(200, 1, "sleep", "sleep 1000", 200)
                .process(300, 1, "worker", "worker --threads", 300)
                .process(400, 1, "parent", "parent", 400)
                .process(401, 400, "child", "child", 401);
        proc.stat(300, 1, "worker", 2, 300).thread(300, 301, "worker-io", Map.of());
        Passwd passwd = Passwd.read(Fixtures.PASSWD);
        scanner = new Scanner(new FixtureProcFs(tmp), () -> passwd, 2, Clock.systemUTC());
        scan();
    }

    @AfterEach
    void close() {
        scanner.close();
    }

    private Snapshot scan() throws Exception {
        return scanner.scan(++sequence);
    }

    private ProcessInfo process(Snapshot s, int pid) {
        return s.process(pid).orElseThrow();
    }

    @Test
    void aKnownProcessThatDidNotRunIsNotReadAgain() throws Exception {
        // What makes the scan cheap: the file changed, the counters did not, so it was not read (a process cannot
        // change its command line without running; this tree can).
        proc.cmdline(200, "sleep 2000");
        assertThat(process(scan(), 200).command()).isEqualTo("sleep 1000");
        proc.ran(200, 200);
        assertThat(process(scan(), 200).command()).isEqualTo("sleep 2000");
    }

    @Test
    void aScanThatFindsTheSameNamespacesSharesThemAndShowsItsProcessesAnew() throws Exception {
        Snapshot before = scan();
        proc.stat(200, 1, "python3", 1, 200)
                .cmdline(200, "python3 -m http.server")
                .ran(200, 200);
        Snapshot after = scan();
        assertThat(after.namespaces()).isSameAs(before.namespaces()); // the same processes in the same namespaces
        assertThat(process(after, 200).command()).isEqualTo("python3 -m http.server");
        assertThat(process(before, 200).command()).isEqualTo("sleep 1000");
        assertThat(after.counts().processes()).isEqualTo(before.counts().processes());

        proc.namespace(200, "net", OTHER_NET).ran(200, 200);
        Snapshot moved = scan();
        assertThat(moved.namespaces()).isNotSameAs(after.namespaces());
        assertThat(moved.namespace(OTHER_NET).orElseThrow().pids()).containsExactly(200);
    }

    @Test
    void aKnownProcessThatUnsharesIsSeenInItsNewNamespaceAtTheNextScan() throws Exception {
        proc.namespace(200, "net", OTHER_NET).ran(200, 200);
        Snapshot s = scan();
        assertThat(process(s, 200).namespace(NamespaceType.NET)).isEqualTo(OTHER_NET);
        assertThat(s.namespace(OTHER_NET).orElseThrow().pids()).containsExactly(200);
        assertThat(s.namespace(TinyProc.HOST.get("net")).orElseThrow().pids()).doesNotContain(200);
    }

    @Test
    void aProcessThatExecsIsSeenWithItsNewCommand() throws Exception {
        // Same PID, same start time (execve keeps both), another program.
        proc.stat(200, 1, "python3", 1, 200)
                .cmdline(200, "python3 -m http.server")
                .ran(200, 200);
        ProcessInfo p = process(scan(), 200);
        assertThat(p.comm()).isEqualTo("python3");
        assertThat(p.command()).isEqualTo("python3 -m http.server");
    }

    @Test
    void aReusedPidIsReadWholeAsANewProcess() throws Exception {
        // PID 200 exited; a new process got the PID: another start time, other namespaces, and counters of its own
        // (the same three counters, to the nanosecond of run and wait time, are what a scan could not tell apart)
        proc.exit(200)
                .process(200, 1, "nginx", "nginx -g daemon", 9999)
                .namespace(200, "uts", OTHER_UTS)
                .fd(200, 3, "net:[" + OTHER_NET + "]")
                .ran(200, 200);
        Snapshot s = scan();
        ProcessInfo p = process(s, 200);
        assertThat(p.startTime()).isEqualTo(9999);
        assertThat(p.command()).isEqualTo("nginx -g daemon");
        assertThat(p.namespace(NamespaceType.UTS)).isEqualTo(OTHER_UTS);
        // a new process's descriptor table is read whole at once, whoever's turn it is
        assertThat(s.namespace(OTHER_NET).orElseThrow().holders()).containsExactly(Holder.fd(Holder.Kind.FD, 200, 3));
    }

    @Test
    void aDescriptorOpenedByAKnownProcessIsFoundWithinOneSweep() throws Exception {
        proc.fd(200, 5, "net:[" + OTHER_NET + "]").ran(200, 200);
        Snapshot s = null;
        for (int i = 0; i < DescriptorSweep.ROUNDS; i++) {
            s = scan();
        }
        assertThat(s.namespace(OTHER_NET).orElseThrow().holders()).containsExactly(Holder.fd(Holder.Kind.FD, 200, 5));
        assertThat(s.namespace(OTHER_NET).orElseThrow().nprocs()).isZero();
    }

    @Test
    void aDescriptorClosedByAKnownProcessReleasesItsNamespaceAtTheNextScan() throws Exception {
        proc.fd(200, 5, "net:[" + OTHER_NET + "]").ran(200, 200);
        for (int i = 0; i < DescriptorSweep.ROUNDS; i++) {
            scan();
        }
        proc.closeFd(200, 5).ran(200, 200);
        assertThat(scan().namespace(OTHER_NET)).isEmpty();
    }

    @Test
    void aThreadThatEntersAnotherNamespaceIsSeenThoughItsProcessLeaderDidNotRun() throws Exception {
        proc.thread(300, 301, "worker-io", Map.of("uts", OTHER_UTS)).ran(300, 301);
        Snapshot s = scan();
        assertThat(s.looseThreadsOf(300))
                .extracting(LooseThread::tid, LooseThread::differing)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(301, java.util.List.of(NamespaceLink.UTS)));
        Namespace uts = s.namespace(OTHER_UTS).orElseThrow();
        assertThat(uts.looseThreads()).containsExactly(301);
    }

    @Test
    void aNewThreadOfAOnceSingleThreadedProcessIsRead() throws Exception {
        proc.stat(200, 1, "sleep", 2, 200)
                .thread(200, 202, "helper", Map.of("net", OTHER_NET))
                .ran(200, 200);
        Snapshot s = scan();
        assertThat(s.looseThreadsOf(200)).extracting(LooseThread::tid).containsExactly(202);
        assertThat(s.namespace(OTHER_NET)).isPresent();
    }

    @Test
    void aProcessWhoseParentExitedGetsItsNewParentThoughItDidNotRun() throws Exception {
        // The kernel reparents 401 to init when 400 exits; 401 itself need not run for that.
        proc.exit(400).stat(401, 1, "child", 1, 401);
        assertThat(process(scan(), 401).ppid()).isEqualTo(1);
    }
}
