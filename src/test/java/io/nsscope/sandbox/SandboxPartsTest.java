package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sandbox's pure parts: the rate limit, the UID pool, the output tail, the trampoline's argv. */
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
    void uidPoolHandsOutDistinctUidsAndRefusesOverlaps() {
        UidPool pool = new UidPool(1000, 1009);
        assertThat(pool.takeOne("a")).isEqualTo(1000);
        assertThat(pool.takeOne("b")).isEqualTo(1001);
        pool.take("c", List.of(new IdMap(0, 1002, 5)));
        assertThatThrownBy(() -> pool.take("d", List.of(new IdMap(0, 1008, 1), new IdMap(1, 1001, 1))))
                .isInstanceOf(UidRangeInUseException.class).hasMessageContaining("1001-1001");
        assertThat(pool.takeOne("d")).isEqualTo(1007); // d's failed take held nothing
        pool.release("b");
        assertThat(pool.takeOne("e")).isEqualTo(1001);
        pool.takeOne("f");
        pool.takeOne("g");
        assertThatThrownBy(() -> pool.takeOne("h")).isInstanceOf(UidRangeInUseException.class);
        assertThat(pool.contains(1009, 1)).isTrue();
        assertThat(pool.contains(1009, 2)).isFalse();
        assertThat(pool.contains(999, 1)).isFalse();
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
    void theChainIsTheCommandAloneOrAShellWaitingForProcThenSetprivThenTheUserNamespaceStep() {
        Tools tools = new Tools("/bin/sh", "/bin/mount", "/usr/bin/setpriv", "/usr/bin/unshare", "/usr/bin/env");
        Trampoline.Start plain = Trampoline.of(tools, plan(null, false, true));
        assertThat(plain.argv()).containsExactly("/bin/sleep", "1");
        assertThat(plain.path()).isEqualTo("/bin/sleep");
        assertThat(plain.saysOk()).isFalse(); // the thread dropped its privileges: nothing to wait for
        assertThat(plain.command()).isTrue();

        Trampoline.Start withProc = Trampoline.of(tools, plan(null, true, true));
        assertThat(withProc.path()).isEqualTo("/bin/sh");
        assertThat(withProc.awaitsProc()).isTrue();
        assertThat(withProc.saysOk()).isFalse();
        assertThat(withProc.argv().get(2)).startsWith("read -r _ <&5").doesNotContain("mount");
        // the thread dropped its privileges (keeping CAP_SYS_ADMIN for the mount alone), so no setpriv
        assertThat(withProc.argv().subList(3, withProc.argv().size())).containsExactly("nsscope-sandbox",
                "/usr/bin/env", "-i", "LANG=C", "NSSCOPE_SANDBOX_ID=sb-0000000000000001", "/bin/sleep", "1");
        // the shell runs before /proc is mounted: nothing of the request's environment reaches it
        assertThat(withProc.env()).containsExactly(Inspect.PATH, "NSSCOPE_SANDBOX_ID=sb-0000000000000001");
        assertThat(plain.env()).contains("LANG=C");

        Trampoline.Start oldKernel = Trampoline.of(tools, plan(null, true, false));
        assertThat(oldKernel.saysOk()).isTrue();
        assertThat(oldKernel.awaitsProc()).isFalse();
        assertThat(oldKernel.argv().get(2)).contains("/bin/mount -t proc").contains("printf 'ok\\n' >&3");
        // there a shell as root mounts /proc, then setpriv drops to the pool UID
        assertThat(oldKernel.argv().subList(3, oldKernel.argv().size())).containsExactly("nsscope-sandbox",
                "/usr/bin/setpriv", "--reuid=300001", "--regid=300001", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--no-new-privs", "--", "/usr/bin/env", "-i", "LANG=C",
                "NSSCOPE_SANDBOX_ID=sb-0000000000000001", "/bin/sleep", "1");
        assertThat(oldKernel.env()).containsExactly(Inspect.PATH, "NSSCOPE_SANDBOX_ID=sb-0000000000000001");

        // explicit maps: nsscope writes them while a shell in the new user namespace waits
        Trampoline.Start mapped = Trampoline.of(tools, plan(UserMapping.explicit(List.of(new IdMap(0, 300001, 1))),
                false, true));
        assertThat(mapped.saysOk()).isTrue();
        assertThat(mapped.awaitsUserNamespace()).isFalse();
        assertThat(mapped.command()).isFalse();
        assertThat(mapped.argv().subList(0, 5)).containsExactly("/usr/bin/unshare", "--user", "--", "/bin/sh", "-c");
        assertThat(mapped.argv().get(5)).startsWith("printf 'u\\n' >&3\nread -r _ <&4");
        assertThat(mapped.argv().subList(6, mapped.argv().size())).containsExactly("nsscope-sandbox", "/bin/sleep",
                "1");

        // root: unshare maps root to the pool UID itself; none: no map. Then the command directly, polled for
        Trampoline.Start root = Trampoline.of(tools, plan(UserMapping.root(), false, true));
        assertThat(root.argv()).containsExactly("/usr/bin/unshare", "--user", "--map-root-user", "--", "/bin/sleep",
                "1");
        assertThat(root.saysOk()).isFalse();
        assertThat(root.awaitsUserNamespace()).isTrue();
        assertThat(root.command()).isFalse();
        Trampoline.Start none = Trampoline.of(tools, plan(UserMapping.none(), false, true));
        assertThat(none.argv()).containsExactly("/usr/bin/unshare", "--user", "--", "/bin/sleep", "1");
        assertThat(none.saysOk()).isFalse();
        assertThat(none.awaitsUserNamespace()).isTrue();
        // with /proc mounted by the thread: the user namespace step (made while the thread mounts /proc), the
        // shell waiting for /proc (and explicit maps), env(1), the command; nothing of the request's environment
        // before env(1)
        Trampoline.Start mappedWithProc = Trampoline.of(tools, plan(UserMapping.root(), true, true));
        assertThat(mappedWithProc.path()).isEqualTo("/usr/bin/unshare");
        assertThat(mappedWithProc.argv().subList(0, 6)).containsExactly("/usr/bin/unshare", "--user",
                "--map-root-user", "--", "/bin/sh", "-c");
        assertThat(mappedWithProc.argv().get(6)).startsWith("read -r _ <&5").doesNotContain("printf");
        assertThat(mappedWithProc.argv().subList(7, mappedWithProc.argv().size())).containsExactly(
                "nsscope-sandbox", "/usr/bin/env", "-i", "LANG=C", "NSSCOPE_SANDBOX_ID=sb-0000000000000001",
                "/bin/sleep", "1");
        assertThat(mappedWithProc.env()).containsExactly(Inspect.PATH, "NSSCOPE_SANDBOX_ID=sb-0000000000000001");
        assertThat(mappedWithProc.awaitsUserNamespace()).isTrue();
        assertThat(mappedWithProc.awaitsProc()).isTrue();
        assertThat(mappedWithProc.saysOk()).isFalse();
        Trampoline.Start explicitWithProc = Trampoline.of(tools, plan(UserMapping.explicit(
                List.of(new IdMap(0, 300001, 1))), true, true));
        assertThat(explicitWithProc.argv().subList(0, 5)).containsExactly("/usr/bin/unshare", "--user", "--",
                "/bin/sh", "-c");
        assertThat(explicitWithProc.argv().get(5)).startsWith("read -r _ <&5").contains("printf 'u\\n' >&3");
        assertThat(explicitWithProc.argv().subList(6, explicitWithProc.argv().size())).containsExactly(
                "nsscope-sandbox", "/usr/bin/env", "-i", "LANG=C", "NSSCOPE_SANDBOX_ID=sb-0000000000000001",
                "/bin/sleep", "1");
        assertThat(explicitWithProc.env()).containsExactly(Inspect.PATH, "NSSCOPE_SANDBOX_ID=sb-0000000000000001");
        assertThat(explicitWithProc.saysOk()).isTrue();
        assertThat(explicitWithProc.awaitsUserNamespace()).isFalse();
        Trampoline.Start noneWithProc = Trampoline.of(tools, plan(UserMapping.none(), true, true));
        assertThat(noneWithProc.argv().subList(0, 5)).containsExactly("/usr/bin/unshare", "--user", "--",
                "/bin/sh", "-c");
        assertThat(noneWithProc.argv().subList(6, noneWithProc.argv().size())).containsExactly("nsscope-sandbox",
                "/usr/bin/env", "-i", "LANG=C", "NSSCOPE_SANDBOX_ID=sb-0000000000000001", "/bin/sleep", "1");
        assertThat(noneWithProc.awaitsUserNamespace()).isTrue();

        // older kernels, setpriv: no_new_privs unless a mapped user namespace follows (root gains its capabilities
        // at exec there, which no_new_privs forbids)
        assertThat(Trampoline.of(tools, plan(UserMapping.root(), true, false)).argv())
                .doesNotContain("--no-new-privs").contains("/usr/bin/setpriv", "/usr/bin/unshare");
        assertThat(Trampoline.of(tools, plan(UserMapping.explicit(List.of(new IdMap(0, 300001, 1))), true, false))
                .argv()).doesNotContain("--no-new-privs").contains("/usr/bin/setpriv", "/usr/bin/unshare");
        assertThat(Trampoline.of(tools, plan(UserMapping.none(), true, false)).argv())
                .contains("--no-new-privs", "/usr/bin/setpriv", "/usr/bin/unshare");
    }

    private static LaunchPlan plan(UserMapping user, boolean mountProc, boolean kernelProc) {
        return new LaunchPlan("sb-0000000000000001", 0, null, mountProc, null, mountProc, kernelProc, false, user,
                List.of(), 300001, List.of("/bin/sleep", "1"),
                List.of("LANG=C", "NSSCOPE_SANDBOX_ID=sb-0000000000000001"), java.time.Duration.ofSeconds(1));
    }
}
