package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.namespace.NamespaceType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The namespace-changing calls against the running kernel, as root (CAP_SYS_ADMIN); skipped otherwise. */
class NamespacesLiveIT {

    @BeforeEach
    void root() {
        assumeTrue("root".equals(System.getProperty("user.name")), "unshare(2) needs CAP_SYS_ADMIN");
    }

    private static String link(String path) throws Exception {
        return Files.readSymbolicLink(Path.of(path)).toString();
    }

    @Test
    void aNewNetworkNamespaceHasNoIdForItself() {
        // In a namespace of its own: the test's may have been given an ID for itself (a route netlink dump of links
        // whose peer is in it, asked from another namespace or with a target netnsid, allocates one for good).
        Integer id = ThrowawayThread.call("test-netnsid", () -> {
            Namespaces.unshare(NamespaceType.NET.cloneFlag());
            try (Fd net = Descriptors.open(Path.of("/proc/thread-self/ns/net"));
                    Fd netlink = RouteNetlink.open()) {
                return RouteNetlink.netnsid(netlink, net);
            }
        });
        // no ID unless one was set (`ip netns set`): lsns prints "unassigned"
        assertThat(id).isEqualTo(-1);
    }

    @Test
    void throwawayThreadCarriesTheUnsharedNamespaceAwayWithIt() throws Exception {
        String mine = link("/proc/thread-self/ns/uts");
        String[] seen = ThrowawayThread.call("test-unshare", () -> {
            Namespaces.unshare(NamespaceType.UTS.cloneFlag());
            Namespaces.sethostname("nsscope-test");
            return new String[] {
                link("/proc/thread-self/ns/uts"),
                Files.readString(Path.of("/proc/sys/kernel/hostname")).trim()
            };
        });
        assertThat(seen[0]).startsWith("uts:[").isNotEqualTo(mine);
        assertThat(seen[1]).isEqualTo("nsscope-test");
        assertThat(link("/proc/thread-self/ns/uts")).isEqualTo(mine);
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim())
                .isNotEqualTo("nsscope-test");
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            assertThat(tasks.map(t -> {
                        try {
                            return link(t.resolve("ns/uts").toString());
                        } catch (Exception e) {
                            return mine; // a thread that ended meanwhile
                        }
                    }))
                    .allMatch(mine::equals);
        }
    }
}
