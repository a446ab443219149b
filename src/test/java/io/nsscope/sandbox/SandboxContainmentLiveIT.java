package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing of nsscope reaches a sandbox's command, for every combination of the eight namespace types and on both
 * launch paths (the launching thread mounting /proc with {@code pidns=} on Linux 6.17+, a root shell in the chain on
 * older kernels), as root (skipped otherwise): descriptors 0 to 2 and no other, the pool UID and GID in every
 * slot, no supplementary group, no inheritable, ambient or (outside a user namespace of its own) bounding
 * capability, and exactly the environment asked for. Read from the host while the command runs.
 */
class SandboxContainmentLiveIT {

    private static final java.util.concurrent.atomic.AtomicInteger EXPLICIT =
            new java.util.concurrent.atomic.AtomicInteger();
    private static SandboxService kernelProc;
    private static SandboxService shellProc;

    @BeforeAll
    static void services() {
        assumeTrue(Sandboxes.isRoot(), "sandboxes need root");
        kernelProc = Launcher.kernelMountsProcForPidNamespaces()
                ? Sandboxes.service(
                        true,
                        "nsscope.sandbox.uid-pool=311000-311999",
                        "nsscope.sandbox.max-concurrent=4",
                        "nsscope.sandbox.creations-per-minute=100000",
                        Sandboxes.cgroupParent("containment-kernel"))
                : null;
        shellProc = Sandboxes.service(
                false,
                "nsscope.sandbox.uid-pool=312000-312999",
                "nsscope.sandbox.max-concurrent=4",
                "nsscope.sandbox.creations-per-minute=100000",
                Sandboxes.cgroupParent("containment-shell"));
    }

    @AfterAll
    static void close() {
        if (kernelProc != null) {
            kernelProc.close();
        }
        if (shellProc != null) {
            shellProc.close();
        }
    }

    /** Every non-empty subset of the eight types, on both paths; with a user namespace, each of its mappings. */
    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        NamespaceType[] types = NamespaceType.values();
        for (int mask = 1; mask < 1 << types.length; mask++) {
            Set<NamespaceType> set = EnumSet.noneOf(NamespaceType.class);
            for (int i = 0; i < types.length; i++) {
                if ((mask & 1 << i) != 0) {
                    set.add(types[i]);
                }
            }
            List<UserMapping> mappings = set.contains(NamespaceType.USER)
                    ? List.of(
                            UserMapping.none(),
                            UserMapping.root(),
                            UserMapping.explicit(List.of(new IdRange(0, 0, 1), new IdRange(1000, 1, 10))))
                    : java.util.Collections.singletonList(null);
            for (UserMapping m : mappings) {
                all.add(Arguments.of(true, set, m));
                // the root shell only runs with a /proc to mount: pid and mnt
                if (set.contains(NamespaceType.PID) && set.contains(NamespaceType.MNT)) {
                    all.add(Arguments.of(false, set, m));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "kernel /proc {0}: {1} {2}")
    @MethodSource("combinations")
    void onlyDescriptorsZeroToTwoThePoolIdsAndNoCapabilityReachTheCommand(
            boolean kernel, Set<NamespaceType> types, UserMapping mapping) throws Exception {
        SandboxService service = kernel ? kernelProc : shellProc;
        assumeTrue(service != null, "procfs pidns= needs Linux 6.17+");
        // explicit maps are given relative to a range of the pool, a new one each time (an ended sandbox's ids
        // rest in quarantine)
        long base = (kernel ? 311500 : 312500) + 20 * (EXPLICIT.getAndIncrement() % 20);
        UserMapping user = mapping == null || mapping.mode() != UserMapping.Mode.EXPLICIT
                ? mapping
                : UserMapping.explicit(mapping.maps().stream()
                        .map(m -> new IdRange(m.inside(), base + m.outside(), m.count()))
                        .toList());
        Sandbox s = service.create(new SandboxSpec(
                types,
                List.of("/bin/sleep", "600"),
                null,
                user,
                null,
                null,
                Duration.ofMinutes(1),
                Map.of("GREETING", "hello")));
        try {
            Path proc = Path.of("/proc", Integer.toString(s.pid()));
            // the command's own dynamic loader opens and closes a descriptor or two as it starts; an inherited one
            // would stay for good (sleep closes nothing)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                    assertThat(fds.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("0", "1", "2");
                }
            });
            List<String> status = Files.readAllLines(proc.resolve("status"));
            String id = Long.toString(s.hostUid());
            String ids = id + "\t" + id + "\t" + id + "\t" + id;
            assertThat(status)
                    .contains("Uid:\t" + ids, "Gid:\t" + ids, "CapInh:\t0000000000000000", "CapAmb:\t0000000000000000");
            assertThat(status)
                    .filteredOn(l -> l.startsWith("Groups:"))
                    .singleElement()
                    .satisfies(l -> assertThat(l.strip()).isEqualTo("Groups:"));
            boolean ownUserNamespace = types.contains(NamespaceType.USER);
            if (!ownUserNamespace) {
                assertThat(status)
                        .contains(
                                "CapBnd:\t0000000000000000",
                                "CapPrm:\t0000000000000000",
                                "CapEff:\t0000000000000000",
                                "NoNewPrivs:\t1");
            }
            assertThat(new String(Files.readAllBytes(proc.resolve("environ"))).split("\0"))
                    .containsExactlyInAnyOrder(Inspect.PATH, "GREETING=hello", Reaping.MARK + "=" + s.id());
            assertThat(Files.readSymbolicLink(proc.resolve("exe"))).isEqualTo(Path.of("/usr/bin/sleep"));
            // first in line for the OOM killer; its own process, descriptor and (without memory.max) memory limits
            assertThat(Files.readString(proc.resolve("oom_score_adj")).trim()).isEqualTo("1000");
            List<String> limits = Files.readAllLines(proc.resolve("limits"));
            assertThat(limits)
                    .anyMatch(l -> l.matches("Max processes +256 +256 +processes *"))
                    .anyMatch(l -> l.matches("Max open files +1024 +1024 +files *"));
        } finally {
            service.delete(s.id());
        }
        assertThat(Sandboxes.processesOf(s.hostUid()))
                .allSatisfy(pid -> assertThat(isZombie(pid)).isTrue());
    }

    private static boolean isZombie(int pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))
                    .contains("State:\tZ (zombie)");
        } catch (IOException e) {
            return true; // reaped meanwhile
        }
    }
}
