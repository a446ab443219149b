package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service against the live kernel, as root (skipped otherwise): limits, the pool's quarantine, cgroup teardown
 * of what escaped a sandbox's process group, start-up steps that fail, the checks of the id maps and ids before the
 * command runs, and a restart finding what a crashed run left.
 */
class SandboxServiceLiveIT {

    private static final ProcFs PROC = new ProcFs(Path.of("/proc"));

    @BeforeEach
    void root() {
        assumeTrue(Sandboxes.isRoot(), "sandboxes need root");
    }

    @Test
    void concurrencyLimitCountsRunningSandboxesOnlyAndAnEndedSandboxsUidRestsFirst() {
        SandboxService service = Sandboxes.service(
                "nsscope.sandbox.max-concurrent=2",
                "nsscope.sandbox.uid-pool=310000-310002",
                "nsscope.sandbox.uid-quarantine=1s",
                Sandboxes.cgroupParent("limit"));
        try {
            Sandbox a = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
            Sandbox b = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
            assertThat(List.of(a.hostUid(), b.hostUid())).containsExactly(310000L, 310001L);
            assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600")))
                    .isInstanceOf(SandboxLimitException.class)
                    .hasMessageContaining("max-concurrent (2)");
            service.delete(a.id());
            Sandbox c = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
            assertThat(c.hostUid()).isEqualTo(310002); // a's UID rests in quarantine
            service.delete(c.id());
            // b holds 310001, c's UID rests: nothing is free until a's quarantine ends, then a's UID comes back
            assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600")))
                    .isInstanceOf(UidRangeInUseException.class);
            await().atMost(Duration.ofSeconds(10))
                    .ignoreException(UidRangeInUseException.class)
                    .untilAsserted(() -> {
                        Sandbox d = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
                        service.delete(d.id());
                        assertThat(d.hostUid()).isEqualTo(a.hostUid());
                    });
        } finally {
            service.close();
        }
        assertThat(Reaping.marked(PROC)).isEmpty();
    }

    @Test
    void deleteEndsWhatLeftTheProcessGroupAndNoProcessOfThePoolUidIsLeft() throws Exception {
        SandboxService service =
                Sandboxes.service("nsscope.sandbox.uid-pool=310700-310799", Sandboxes.cgroupParent("escape"));
        assumeTrue(service.cgroupsUnusable() == null, "needs a writable cgroup v2 hierarchy");
        try {
            // the found escape: a daemon in its own session, with a clean environment (no mark), no pid namespace
            Sandbox s = service.create(Sandboxes.spec(
                    Sandboxes.types("uts"),
                    "/bin/sh",
                    "-c",
                    "setsid /usr/bin/env -i /bin/sleep 300 & exec /bin/sleep 600"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Sandboxes.processesOf(s.hostUid()).size() == 2);
            Path leaf = Path.of(Sandboxes.cgroupParent("escape").split("=")[1]).resolve(s.id());
            assertThat(Files.readAllLines(leaf.resolve("cgroup.procs"))).hasSize(2);
            service.delete(s.id());
            assertThat(leaf).doesNotExist();
            // killed: at most zombies are left, until their new parent (the host's init) reaps them
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Sandboxes.processesOf(s.hostUid()).isEmpty());
        } finally {
            service.close();
        }
    }

    @Test
    void withoutUsableCgroupsASandboxWithoutPidNamespaceIsRefused() {
        SandboxService service = Sandboxes.service(
                "nsscope.sandbox.uid-pool=310800-310899", "nsscope.sandbox.cgroup.parent=/proc/nsscope-not-a-cgroup");
        try {
            assertThat(service.cgroupsUnusable()).isNotNull();
            assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("uts"), "/bin/sleep", "600")))
                    .isInstanceOfSatisfying(SandboxRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo("namespaces");
                        assertThat(e.getMessage()).contains("needs a new pid namespace");
                    });
            Sandbox withPid = service.create(Sandboxes.spec(Sandboxes.types("pid", "uts"), "/bin/sleep", "600"));
            service.delete(withPid.id());
            assertThat(Sandboxes.processesOf(withPid.hostUid())).isEmpty();
        } finally {
            service.close();
        }
    }

    @Test
    void aFailedStartUpStepIsKilledReapedAndReportedAndItsCgroupRemoved() throws Exception {
        Tools real = Tools.find();
        Tools brokenMount = new Tools(real.sh(), "/bin/false", real.setpriv(), real.unshare(), real.perl());
        Tools brokenUnshare = new Tools(real.sh(), real.mount(), real.setpriv(), "/bin/false", real.perl());
        SandboxCgroups cgroups = SandboxCgroups.open(
                new io.nsscope.config.NsscopeProperties.Sandbox.Cgroup(
                        Path.of(Sandboxes.cgroupParent("broken").split("=")[1]),
                        64,
                        org.springframework.util.unit.DataSize.ofMegabytes(64),
                        "max 100000"),
                4,
                PROC);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Executable sleep = Executable.open("/bin/sleep")) {
            for (UserMapping mapping : java.util.Arrays.asList(null, UserMapping.none(), UserMapping.root())) {
                for (Tools broken : List.of(brokenMount, brokenUnshare)) {
                    if (broken == brokenUnshare && mapping == null) {
                        continue; // unshare(1) only runs for a user namespace
                    }
                    LaunchPlan plan = plan(
                            "sb-00000000000000ff",
                            NamespaceType.PID.cloneFlag() | NamespaceType.MNT.cloneFlag(),
                            true,
                            false,
                            mapping,
                            mapping == UserMapping.root() ? List.of(new IdRange(0, 310450, 1)) : List.of(),
                            310450);
                    CgroupLeaf leaf = cgroups.create("sb-00000000000000ff");
                    assertThatThrownBy(() -> new Launcher(broken, timer).launch(plan, sleep, leaf))
                            .isInstanceOf(SandboxStartException.class)
                            .hasMessageContaining("start-up steps failed");
                    assertThat(leaf.populated()).isFalse();
                    assertThat(leaf.killAndRemove(Duration.ofSeconds(1))).isTrue();
                }
            }
        } finally {
            timer.shutdownNow();
        }
        assertThat(Sandboxes.processesOf(310450)).isEmpty();
    }

    @Test
    void idMapsThatAreNotTheOnesAskedForKillTheSandboxBeforeItsCommandRuns() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Path marker = Files.createTempDirectory("nsscope-maps").resolve("ran");
        try (Executable touch = Executable.open("/usr/bin/touch")) {
            // unshare --map-root-user writes "0 310460 1"; the plan says another map: the read-back must catch it
            LaunchPlan plan = new LaunchPlan(
                    "sb-00000000000000fd",
                    0,
                    null,
                    false,
                    null,
                    false,
                    false,
                    false,
                    UserMapping.root(),
                    List.of(new IdRange(0, 310461, 1)),
                    310460,
                    List.of("/usr/bin/touch", marker.toString()),
                    List.of("PATH=/bin"),
                    Duration.ofSeconds(10),
                    List.of(),
                    Map.of(),
                    false);
            assertThatThrownBy(() -> new Launcher(Tools.find(), timer).launch(plan, touch, null))
                    .isInstanceOf(SandboxStartException.class)
                    .hasMessageContaining("id maps asked for");
        } finally {
            timer.shutdownNow();
        }
        assertThat(marker).doesNotExist();
        assertThat(Sandboxes.processesOf(310460)).isEmpty();
    }

    @Test
    void aChainStillRunningAsRootIsKilledBeforeItsCommandRuns() throws Exception {
        // a "setpriv" that drops nothing: the ids read back before the command are root's, and the gate stays shut
        Path dir = Files.createTempDirectory("nsscope-fake");
        Path fake = dir.resolve("setpriv");
        Files.writeString(fake, "#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done\nshift\nexec \"$@\"\n");
        fake.toFile().setExecutable(true);
        Path marker = dir.resolve("ran");
        Tools real = Tools.find();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Executable touch = Executable.open("/usr/bin/touch")) {
            LaunchPlan plan = new LaunchPlan(
                    "sb-00000000000000fc",
                    0,
                    null,
                    false,
                    null,
                    false,
                    false,
                    false,
                    null,
                    List.of(),
                    310470,
                    List.of("/usr/bin/touch", marker.toString()),
                    List.of("PATH=/bin"),
                    Duration.ofSeconds(10),
                    List.of(),
                    Map.of(),
                    false);
            Tools tools = new Tools(real.sh(), real.mount(), fake.toString(), real.unshare(), real.perl());
            assertThatThrownBy(() -> new Launcher(tools, timer).launch(plan, touch, null))
                    .isInstanceOf(SandboxStartException.class)
                    .hasMessageContaining("not as its pool UID 310470");
        } finally {
            timer.shutdownNow();
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void aUidAnotherProcessOfTheHostUsesIsNeverHandedOutNorIsThatProcessKilled() throws Exception {
        Process foreign = new ProcessBuilder(
                        "/usr/bin/setpriv",
                        "--reuid=310900",
                        "--regid=310900",
                        "--clear-groups",
                        "--",
                        "/bin/sleep",
                        "600")
                .start();
        try {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !Sandboxes.processesOf(310900).isEmpty());
            SandboxService service = Sandboxes.service(
                    "nsscope.sandbox.uid-pool=310900-310901",
                    "nsscope.sandbox.uid-quarantine=100ms",
                    Sandboxes.cgroupParent("foreign"));
            try {
                Sandbox s = service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600"));
                assertThat(s.hostUid()).isEqualTo(310901);
                assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("pid"), "/bin/sleep", "600")))
                        .isInstanceOf(UidRangeInUseException.class);
                SandboxSpec explicit = new SandboxSpec(
                        Sandboxes.types("user", "pid"),
                        List.of("/bin/sleep", "600"),
                        null,
                        UserMapping.explicit(List.of(new IdRange(0, 310900, 1))),
                        null,
                        null,
                        null,
                        null);
                assertThatThrownBy(() -> service.create(explicit))
                        .isInstanceOf(UidRangeInUseException.class)
                        .hasMessageContaining("a process of the host uses: [310900]");
                service.delete(s.id());
            } finally {
                service.close();
            }
            assertThat(foreign.isAlive()).isTrue(); // not the sandbox's: nsscope never signals it
        } finally {
            foreign.destroyForcibly().waitFor();
        }
    }

    @Test
    void creationRateLimit() {
        SandboxService service = Sandboxes.service(
                "nsscope.sandbox.creations-per-minute=1",
                "nsscope.sandbox.uid-pool=310100-310199",
                Sandboxes.cgroupParent("rate"));
        try {
            service.create(Sandboxes.spec(Sandboxes.types("uts"), "/bin/true"));
            assertThatThrownBy(() -> service.create(Sandboxes.spec(Sandboxes.types("uts"), "/bin/true")))
                    .isInstanceOfSatisfying(
                            SandboxLimitException.class,
                            e -> assertThat(e.retryAfterSeconds()).isBetween(1L, 60L));
        } finally {
            service.close();
        }
    }

    @Test
    void overlappingExplicitMapsOfTwoRunningSandboxesConflict() {
        SandboxService service =
                Sandboxes.service("nsscope.sandbox.uid-pool=310200-310299", Sandboxes.cgroupParent("overlap"));
        try {
            SandboxSpec spec = new SandboxSpec(
                    Sandboxes.types("user", "pid"),
                    List.of("/bin/sleep", "600"),
                    null,
                    UserMapping.explicit(List.of(new IdRange(0, 310250, 10))),
                    null,
                    null,
                    null,
                    null);
            Sandbox first = service.create(spec);
            assertThat(first.hostUid()).isEqualTo(310250);
            assertThat(first.uidMap()).containsExactly(new IdRange(0, 310250, 10));
            assertThatThrownBy(() -> service.create(spec)).isInstanceOf(UidRangeInUseException.class);
            assertThat(service.list()).hasSize(1);
        } finally {
            service.close();
        }
    }

    @Test
    void aRestartKillsOrAdoptsWhatACrashedRunLeft() {
        String parent = Sandboxes.cgroupParent("restart");
        SandboxService crashed = Sandboxes.service("nsscope.sandbox.uid-pool=310300-310399", parent);
        Sandbox left = crashed.create(Sandboxes.spec(Sandboxes.types("pid", "mnt"), "/bin/sleep", "600"));
        Sandbox leftNoPidNs = crashed.create(
                Sandboxes.spec(Sandboxes.types("uts"), "/bin/sh", "-c", "/bin/sleep 600 & exec /bin/sleep 600"));
        // "crash": the service is dropped without close(); its sandboxes run on

        SandboxService adopting =
                Sandboxes.service("nsscope.sandbox.on-startup=adopt", "nsscope.sandbox.uid-pool=310300-310399", parent);
        adopting.recoverLeftovers();
        assertThat(adopting.list()).extracting(Sandbox::id).containsExactlyInAnyOrder(left.id(), leftNoPidNs.id());
        assertThat(adopting.get(left.id()).adopted()).isTrue();
        assertThat(adopting.sandboxIdsByPid()).containsEntry(left.pid(), left.id());
        adopting.delete(left.id());
        assertThat(adopting.get(left.id()).state()).isEqualTo(SandboxState.KILLED);
        assertThat(Path.of("/proc/" + left.pid())).doesNotExist();

        SandboxService killing =
                Sandboxes.service("nsscope.sandbox.on-startup=kill", "nsscope.sandbox.uid-pool=310300-310399", parent);
        killing.recoverLeftovers();
        assertThat(killing.list()).isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Reaping.marked(PROC).isEmpty()
                        && Sandboxes.processesOf(leftNoPidNs.hostUid()).isEmpty());
        adopting.close();
        killing.close();
        crashed.close();
    }

    private static LaunchPlan plan(
            String id,
            int flags,
            boolean mountProc,
            boolean kernelProc,
            UserMapping user,
            List<IdRange> maps,
            long uid) {
        return new LaunchPlan(
                id,
                flags,
                null,
                (flags & NamespaceType.MNT.cloneFlag()) != 0,
                null,
                mountProc,
                kernelProc,
                false,
                user,
                maps,
                uid,
                List.of("/bin/sleep", "600"),
                List.of(Reaping.MARK + "=" + id),
                Duration.ofSeconds(10),
                List.of(),
                Map.of(),
                false);
    }
}
