package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service against the live kernel (root only): limits, and a restart finding what a crashed run left. */
class SandboxServiceTest {

    @BeforeEach
    void root() {
        assumeTrue(Sandboxes.isRoot(), "sandboxes need root");
    }

    @Test
    void concurrencyLimitCountsRunningSandboxesOnly() throws Exception {
        SandboxService service = Sandboxes.service("nsscope.sandbox.max-concurrent=2",
                "nsscope.sandbox.uid-pool=310000-310099");
        try {
            Sandbox a = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
            service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
            assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600")))
                    .isInstanceOf(SandboxLimitException.class).hasMessageContaining("max-concurrent (2)");
            service.delete(a.id());
            Sandbox c = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
            assertThat(c.hostUid()).isEqualTo(a.hostUid()); // its UID went back to the pool
        } finally {
            service.close();
        }
        assertThat(Reaping.marked(Path.of("/proc"))).isEmpty();
    }

    @Test
    void whenTheThreadMountsProcTheChainHasNoPrivilegeAndNoUserNamespaceChangesThat() throws Exception {
        assumeTrue(Launcher.kernelMountsProcForPidNamespaces(), "procfs pidns= needs Linux 6.17+");
        SandboxService service = Sandboxes.service(true, "nsscope.sandbox.uid-pool=310500-310599");
        // its /proc shows only the sandbox: the shell alone (counted with a glob, which starts no process: counting
        // with `ls /proc | grep -c` raced with the pipeline's own processes)
        String show = "grep -E '^(Uid|Groups|Cap(Inh|Prm|Eff|Amb)|NoNewPrivs):' /proc/self/status; "
                + "set -- /proc/[0-9]*; echo $#";
        try {
            Sandbox plain = service.create(Sandboxes.spec(Sandboxes.types("pid", "mnt"), "/bin/sh", "-c", show));
            Sandbox none = service.create(Sandboxes.spec(Sandboxes.types("pid", "mnt", "user"), "/bin/sh", "-c",
                    show));
            Sandbox root = service.create(new SandboxSpec(Sandboxes.types("pid", "mnt", "user"), List.of("/bin/sh",
                    "-c", show), null, UserMapping.root(), null, null, java.time.Duration.ofMinutes(5),
                    java.util.Map.of()));
            for (Sandbox s : List.of(plain, none, root)) {
                for (int i = 0; i < 500 && service.get(s.id()).state() == SandboxState.RUNNING; i++) {
                    Thread.sleep(10);
                }
                assertThat(service.get(s.id()).exitCode()).isZero();
            }
            String uid = Long.toString(plain.hostUid());
            assertThat(service.logs(plain.id()).lines()).containsExactly("Uid:\t" + uid + "\t" + uid + "\t" + uid
                    + "\t" + uid, "Groups:\t ", "CapInh:\t0000000000000000", "CapPrm:\t0000000000000000",
                    "CapEff:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "1");
            assertThat(service.logs(none.id()).lines()).containsExactly("Uid:\t65534\t65534\t65534\t65534",
                    "Groups:\t ", "CapInh:\t0000000000000000", "CapPrm:\t0000000000000000",
                    "CapEff:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "1");
            assertThat(service.logs(root.id()).lines()).contains("Uid:\t0\t0\t0\t0", "NoNewPrivs:\t0", "1");
        } finally {
            service.close();
        }
        assertThat(Reaping.marked(Path.of("/proc"))).isEmpty();
    }

    @Test
    void onKernelsWithoutProcfsPidnsTheTrampolineMountsProc() throws Exception {
        SandboxService service = Sandboxes.service(false, "nsscope.sandbox.uid-pool=310400-310499");
        try {
            Sandbox s = service.create(Sandboxes.spec(Sandboxes.types("pid", "mnt", "net"), "/bin/ls", "/proc"));
            for (int i = 0; i < 500 && service.get(s.id()).state() == SandboxState.RUNNING; i++) {
                Thread.sleep(10);
            }
            assertThat(service.get(s.id()).exitCode()).isZero();
            assertThat(service.logs(s.id()).lines().filter(l -> l.matches("[0-9]+"))).containsExactly("1");
        } finally {
            service.close();
        }
        assertThat(Reaping.marked(Path.of("/proc"))).isEmpty();
    }

    @Test
    void aFailedStartUpStepIsKilledReapedAndReported() {
        Tools real = Tools.find();
        Tools broken = new Tools(real.sh(), "/bin/false", real.setpriv(), real.unshare(), real.env()); // "mount" fails
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try {
            LaunchPlan plan = new LaunchPlan("sb-00000000000000ff", io.nsscope.jna.Linux.CLONE_NEWPID
                    | io.nsscope.jna.Linux.CLONE_NEWNS, null, true, null, true, false, false, null, List.of(), 310450,
                    List.of("/bin/sleep", "600"), List.of("NSSCOPE_SANDBOX_ID=sb-00000000000000ff"),
                    java.time.Duration.ofSeconds(10));
            assertThatThrownBy(() -> new Launcher(broken, timer).launch(plan))
                    .isInstanceOf(SandboxStartException.class).hasMessageContaining("start-up steps failed");
        } finally {
            timer.shutdownNow();
        }
        assertThat(Reaping.marked(Path.of("/proc"))).doesNotContainKey("sb-00000000000000ff");
    }

    @Test
    void aUserNamespaceStepThatFailsIsKilledReapedAndReported() {
        Tools real = Tools.find();
        Tools broken = new Tools(real.sh(), real.mount(), real.setpriv(), "/bin/false", real.env()); // "unshare" fails
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try {
            for (boolean kernelProc : new boolean[] {true, false}) {
                for (UserMapping mapping : List.of(UserMapping.none(), UserMapping.root())) {
                    LaunchPlan plan = new LaunchPlan("sb-00000000000000fe", io.nsscope.jna.Linux.CLONE_NEWPID
                            | io.nsscope.jna.Linux.CLONE_NEWNS, null, true, null, kernelProc, kernelProc, false,
                            mapping, List.of(), 310451, List.of("/bin/sleep", "600"),
                            List.of("NSSCOPE_SANDBOX_ID=sb-00000000000000fe"), java.time.Duration.ofSeconds(10));
                    assumeTrue(!kernelProc || Launcher.kernelMountsProcForPidNamespaces());
                    assertThatThrownBy(() -> new Launcher(broken, timer).launch(plan))
                            .isInstanceOf(SandboxStartException.class)
                            .hasMessageContaining("ended before its user namespace was made");
                }
            }
        } finally {
            timer.shutdownNow();
        }
        assertThat(Reaping.marked(Path.of("/proc"))).doesNotContainKey("sb-00000000000000fe");
    }

    @Test
    void creationRateLimit() {
        SandboxService service = Sandboxes.service("nsscope.sandbox.creations-per-minute=1",
                "nsscope.sandbox.uid-pool=310100-310199");
        try {
            service.create(Sandboxes.spec(Sandboxes.types("uts"), "/bin/true"));
            assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("uts"), "/bin/true")))
                    .isInstanceOfSatisfying(SandboxLimitException.class,
                            e -> assertThat(e.retryAfterSeconds()).isBetween(1L, 60L));
        } finally {
            service.close();
        }
    }

    @Test
    void overlappingExplicitMapsOfTwoRunningSandboxesConflict() {
        SandboxService service = Sandboxes.service("nsscope.sandbox.uid-pool=310200-310299");
        try {
            SandboxSpec spec = new SandboxSpec(Sandboxes.types("user"), List.of("/bin/sleep", "600"), null,
                    UserMapping.explicit(List.of(new IdMap(0, 310250, 10))), null, null, null, null);
            Sandbox first = service.create(spec);
            assertThat(first.hostUid()).isEqualTo(310250);
            assertThatThrownBy(() -> service.create(spec)).isInstanceOf(UidRangeInUseException.class);
            assertThat(service.list()).hasSize(1);
        } finally {
            service.close();
        }
    }

    @Test
    void aRestartKillsOrAdoptsWhatACrashedRunLeft() throws Exception {
        SandboxService crashed = Sandboxes.service("nsscope.sandbox.uid-pool=310300-310399");
        Sandbox left = crashed.create(Sandboxes.spec(Sandboxes.types("pid", "mnt"), "/bin/sleep", "600"));
        Sandbox leftNoPidNs = crashed.create(Sandboxes.spec(Sandboxes.types("uts"), "/bin/sh", "-c",
                "sleep 600 & sleep 600"));
        // "crash": the service is dropped without close(); its sandboxes run on

        SandboxService adopting = Sandboxes.service("nsscope.sandbox.on-startup=adopt",
                "nsscope.sandbox.uid-pool=310300-310399");
        adopting.recoverLeftovers();
        assertThat(adopting.list()).extracting(Sandbox::id).containsExactlyInAnyOrder(left.id(), leftNoPidNs.id());
        assertThat(adopting.get(left.id()).adopted()).isTrue();
        assertThat(adopting.sandboxIdOf(left.pid())).contains(left.id());
        adopting.delete(left.id());
        assertThat(adopting.get(left.id()).state()).isEqualTo(SandboxState.KILLED);
        assertThat(Path.of("/proc/" + left.pid())).doesNotExist();

        SandboxService killing = Sandboxes.service("nsscope.sandbox.on-startup=kill",
                "nsscope.sandbox.uid-pool=310300-310399");
        killing.recoverLeftovers();
        assertThat(killing.list()).isEmpty();
        for (int i = 0; i < 500 && !Reaping.marked(Path.of("/proc")).isEmpty(); i++) {
            Thread.sleep(10); // SIGKILL is sent; the processes are reaped by their new parent
        }
        assertThat(Reaping.marked(Path.of("/proc"))).isEmpty();
        adopting.close();
        killing.close();
        crashed.close();
    }
}
