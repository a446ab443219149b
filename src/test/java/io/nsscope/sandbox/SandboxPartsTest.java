package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.namespace.IdRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sandbox's pure parts: the rate limit, the UID pool, the output tail, the chain's argv. */
class SandboxPartsTest {

    @Test
    void creationRateRefillsContinuously() {
        AtomicLong now = new AtomicLong();
        CreationRate rate = new CreationRate(2, now::get);
        assertThat(rate.tryAcquire()).isZero();
        assertThat(rate.tryAcquire()).isZero();
        assertThat(rate.tryAcquire()).isEqualTo(30); // one token comes back every 30 s
        now.addAndGet(29_000_000_000L);
        assertThat(rate.tryAcquire()).isEqualTo(1);
        now.addAndGet(1_000_000_000L);
        assertThat(rate.tryAcquire()).isZero();
        assertThat(rate.tryAcquire()).isPositive();
    }

    @Test
    void uidPoolHandsOutDistinctUidsRoundRobinAndRefusesOverlapsAndIdsInUse() {
        UidPool pool = new UidPool(1000, 1009);
        java.util.Set<Long> none = java.util.Set.of();
        assertThat(pool.takeOne("a", none)).isEqualTo(1000);
        assertThat(pool.takeOne("b", none)).isEqualTo(1001);
        pool.take("c", List.of(new IdRange(0, 1002, 5)), none);
        assertThatThrownBy(() -> pool.take("d", List.of(new IdRange(0, 1008, 1), new IdRange(1, 1001, 1)), none))
                .isInstanceOf(UidRangeInUseException.class)
                .hasMessageContaining("1001-1001");
        // a UID some process of the host uses is skipped, and an explicit range holding one is refused
        assertThat(pool.takeOne("d", java.util.Set.of(1007L))).isEqualTo(1008); // d's failed take held nothing
        assertThatThrownBy(() -> pool.take("x", List.of(new IdRange(0, 1009, 1)), java.util.Set.of(1009L)))
                .isInstanceOf(UidRangeInUseException.class)
                .hasMessageContaining("a process of the host uses");
        assertThat(pool.held("b")).containsExactly(new IdRange(0, 1001, 1));
        pool.free("b");
        // round robin: the freed 1001 comes back only after the rest of the pool went round
        assertThat(pool.takeOne("e", none)).isEqualTo(1009);
        assertThat(pool.takeOne("f", none)).isEqualTo(1001);
        assertThat(pool.takeOne("g", none)).isEqualTo(1007);
        assertThatThrownBy(() -> pool.takeOne("h", none)).isInstanceOf(UidRangeInUseException.class);
        assertThat(pool.contains(1009, 1)).isTrue();
        assertThat(pool.contains(1009, 2)).isFalse();
        assertThat(pool.contains(999, 1)).isFalse();
        assertThat(pool.contains(1000, 0)).isFalse();
    }

    @Test
    void uidPoolArithmeticCannotWrap() {
        UidPool pool = new UidPool(200000, 265535);
        // the found exploit: a count that, added to a large outside, wrapped below the pool's end
        assertThat(pool.contains(4294967296L, 9223372032559808513L)).isFalse();
        assertThat(pool.contains(200000, Long.MAX_VALUE)).isFalse();
        assertThat(pool.contains(Long.MAX_VALUE, 1)).isFalse();
        assertThat(pool.contains(200000, 65536)).isTrue();
        assertThat(pool.contains(200000, 65537)).isFalse();
    }

    @Test
    void logTailKeepsTheLastBytes() {
        LogTail tail = new LogTail(8);
        byte[] text = "hello, world\n".getBytes(StandardCharsets.UTF_8);
        tail.append(text, 5);
        assertThat(tail.text()).isEqualTo("hello");
        tail.append(text, text.length);
        assertThat(tail.text()).isEqualTo(", world\n");
        assertThat(tail.total()).isEqualTo(18);
    }

    @Test
    void theChainDropsPrivilegesInTheProcessThenMakesTheUserNamespaceThenExecsTheDescriptor() {
        Tools tools = new Tools("/bin/sh", "/bin/mount", "/usr/bin/setpriv", "/usr/bin/unshare", "/usr/bin/perl");
        List<String> drop = List.of(
                "/usr/bin/setpriv",
                "--reuid=300001",
                "--regid=300001",
                "--clear-groups",
                "--inh-caps=-all",
                "--ambient-caps=-all",
                "--bounding-set=-all");
        List<String> exec = List.of(
                "/usr/bin/perl",
                "-e",
                Trampoline.EXEC_STEP,
                "--",
                Integer.toString(io.nsscope.jna.PosixSpawn.SYS_EXECVEAT),
                Integer.toString(Trampoline.SYS_PRLIMIT64),
                "6=256,7=1024",
                "/bin/sleep",
                "1");

        Trampoline.Start plain = Trampoline.of(tools, plan(null, false, true));
        assertThat(plain.path()).isEqualTo("/usr/bin/setpriv");
        assertThat(plain.argv()).containsExactlyElementsOf(concat(drop, List.of("--no-new-privs", "--"), exec));

        // Linux 6.17+: the launching thread mounts /proc from outside, the chain is the same
        assertThat(Trampoline.of(tools, plan(null, true, true)).argv()).isEqualTo(plain.argv());

        // older kernels: a shell, as root, mounts /proc first, then the same chain
        Trampoline.Start oldKernel = Trampoline.of(tools, plan(null, true, false));
        assertThat(oldKernel.path()).isEqualTo("/bin/sh");
        assertThat(oldKernel.argv().subList(0, 2)).containsExactly("sh", "-c");
        assertThat(oldKernel.argv().get(2))
                .contains("/bin/mount -t proc -o nosuid,nodev,noexec proc /proc")
                .endsWith("exec \"$@\"\n");
        assertThat(oldKernel.argv().subList(3, oldKernel.argv().size()))
                .containsExactlyElementsOf(concat(List.of("nsscope-sandbox"), plain.argv()));

        // user namespaces: made by unshare after setpriv, as the pool UID; no_new_privs only when nothing is mapped
        assertThat(Trampoline.of(tools, plan(UserMapping.root(), false, true)).argv())
                .containsExactlyElementsOf(
                        concat(drop, List.of("--", "/usr/bin/unshare", "--user", "--map-root-user", "--"), exec));
        assertThat(Trampoline.of(tools, plan(UserMapping.none(), false, true)).argv())
                .containsExactlyElementsOf(
                        concat(drop, List.of("--no-new-privs", "--", "/usr/bin/unshare", "--user", "--"), exec));
        assertThat(Trampoline.of(tools, plan(UserMapping.explicit(List.of(new IdRange(0, 300001, 1))), false, true))
                        .argv())
                .containsExactlyElementsOf(concat(drop, List.of("--", "/usr/bin/unshare", "--user", "--"), exec));
    }

    @Test
    void theRequestsEnvironmentIsInNoHelpersArgv() {
        Tools tools = new Tools("/bin/sh", "/bin/mount", "/usr/bin/setpriv", "/usr/bin/unshare", "/usr/bin/perl");
        for (boolean kernelProc : List.of(true, false)) {
            for (UserMapping user : java.util.Arrays.asList(null, UserMapping.none(), UserMapping.root())) {
                assertThat(Trampoline.of(tools, plan(user, true, kernelProc)).argv())
                        .noneMatch(a -> a.contains("LANG=C") || a.contains("NSSCOPE_SANDBOX_ID"));
            }
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    @Test
    void aCgroupNamespaceIsMadeByARootShellOnceTheProcessIsInItsLeaf() {
        Tools tools = new Tools("/bin/sh", "/bin/mount", "/usr/bin/setpriv", "/usr/bin/unshare", "/usr/bin/perl");
        LaunchPlan p = plan(null, false, true);
        LaunchPlan inLeaf = new LaunchPlan(
                p.id(),
                p.flags(),
                null,
                false,
                null,
                false,
                true,
                false,
                null,
                List.of(),
                p.hostUid(),
                p.command(),
                p.env(),
                p.startTimeout(),
                List.of(),
                p.limits(),
                true);
        Trampoline.Start start = Trampoline.of(tools, inLeaf);
        assertThat(start.path()).isEqualTo("/bin/sh");
        assertThat(start.argv().get(2))
                .startsWith("set -e\nread -r _ <&6\nexec 6<&-\n")
                .doesNotContain("mount");
        assertThat(start.argv().subList(3, 7)).containsExactly("nsscope-sandbox", "/usr/bin/unshare", "--cgroup", "--");
        assertThat(start.argv().get(7)).isEqualTo("/usr/bin/setpriv");
    }

    private static LaunchPlan plan(UserMapping user, boolean mountProc, boolean kernelProc) {
        return new LaunchPlan(
                "sb-0000000000000001",
                0,
                null,
                mountProc,
                null,
                mountProc,
                kernelProc,
                false,
                user,
                List.of(),
                300001,
                List.of("/bin/sleep", "1"),
                List.of("LANG=C", "NSSCOPE_SANDBOX_ID=sb-0000000000000001"),
                java.time.Duration.ofSeconds(1),
                List.of(),
                java.util.Map.of(6, 256L, 7, 1024L),
                false);
    }
}
