package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.procfs.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restart does with the leaves a previous run left, on a directory laid out as a cgroup parent and a child
 * process of the test standing in for the leftover sandbox (no root needed: the leaf's files are plain files here,
 * so {@code cgroup.kill} is only written, not acted on).
 */
class LeftoversTest {

    private static final String ID = "sb-0123456789abcdef";

    @TempDir
    Path parent;

    private Process leftover;
    private ScheduledExecutorService scheduler;
    private Registry registry;
    private Tracking tracking;
    private UidPool pool;
    private Semaphore slots;

    @BeforeEach
    void aLeafWithAProcess() throws Exception {
        leftover = new ProcessBuilder("/bin/sleep", "600").start();
        Path leaf = Files.createDirectory(parent.resolve(ID));
        Files.writeString(leaf.resolve("cgroup.procs"), leftover.pid() + "\n");
        Files.writeString(leaf.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
        Files.writeString(leaf.resolve("cgroup.kill"), "");
        Files.createDirectory(parent.resolve("nsscope")); // not a sandbox id: never touched
        scheduler = Executors.newSingleThreadScheduledExecutor();
        registry = new Registry();
        tracking = new Tracking(registry, scheduler, 1024, id -> {});
        pool = new UidPool(200000, 265535);
        slots = new Semaphore(8);
    }

    @AfterEach
    void stop() throws Exception {
        leftover.destroyForcibly().waitFor();
        scheduler.shutdownNow();
    }

    private Leftovers leftovers() {
        return new Leftovers(
                new ProcFs(Path.of("/proc")), SandboxCgroups.at(parent, Map.of()), registry, tracking, pool, slots);
    }

    @Test
    void adoptedLeavesAreTrackedAgainWithTheirLowestPidAsTheirFirstProcess() {
        leftovers().recover(NsscopeProperties.OnStartup.ADOPT, Duration.ofMinutes(5));
        assertThat(registry.get(ID)).hasValueSatisfying(t -> {
            Sandbox adopted = t.view();
            assertThat(adopted.pid()).isEqualTo((int) leftover.pid());
            assertThat(adopted.adopted()).isTrue();
            assertThat(adopted.state()).isEqualTo(SandboxState.RUNNING);
        });
        assertThat(registry.all()).hasSize(1);
        assertThat(slots.availablePermits()).isEqualTo(7);
    }

    @Test
    void otherwiseEachLeafIsKilledThroughCgroupKill() throws Exception {
        leftovers().recover(NsscopeProperties.OnStartup.KILL, Duration.ofMinutes(5));
        assertThat(registry.all()).isEmpty();
        assertThat(Files.readString(parent.resolve(ID).resolve("cgroup.kill"))).isEqualTo("1");
        assertThat(parent.resolve("nsscope")).isDirectory();
        assertThat(slots.availablePermits()).isEqualTo(8);
    }

    @Test
    void aLeafOfThisRunIsLeftAlone() throws Exception {
        tracking.adopt(
                new Sandbox(
                        ID,
                        (int) leftover.pid(),
                        java.util.List.of(),
                        Map.of(),
                        java.util.List.of(),
                        null,
                        null,
                        null,
                        200000,
                        SandboxState.RUNNING,
                        null,
                        null,
                        java.time.Instant.now(),
                        java.time.Instant.now().plusSeconds(60),
                        null,
                        java.util.List.of(),
                        false),
                io.nsscope.jna.Processes.pidfdOpen((int) leftover.pid()),
                null);
        leftovers().recover(NsscopeProperties.OnStartup.KILL, Duration.ofMinutes(5));
        assertThat(Files.readString(parent.resolve(ID).resolve("cgroup.kill"))).isEmpty();
    }
}
