package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.namespace.NamespaceType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The nsfs ioctls against the running kernel, as any user. */
class NamespaceFilesTest {

    static String link(String path) throws Exception {
        return Files.readSymbolicLink(Path.of(path)).toString();
    }

    @Test
    void nsfsIoctlsNameTypeOwnerAndOwnerUid() throws Exception {
        try (Fd net = Descriptors.open(Path.of("/proc/self/ns/net"));
                Fd owner = NamespaceFiles.owningUserNamespace(net)) {
            assertThat(NamespaceFiles.namespaceType(net)).isEqualTo(NamespaceType.NET.cloneFlag());
            assertThat(link("/proc/self/fd/" + owner.value())).isEqualTo(link("/proc/self/ns/user"));
            assertThat(NamespaceFiles.namespaceType(owner)).isEqualTo(NamespaceType.USER.cloneFlag());
        }
        try (Fd user = Descriptors.open(Path.of("/proc/1/ns/user"))) {
            assertThat(NamespaceFiles.ownerUid(user)).isZero(); // the initial user namespace belongs to root
        } catch (SyscallException e) {
            assertThat(e.errno()).isEqualTo(Errno.EACCES); // not root: /proc/1/ns is not ours to open
        }
    }

    @Test
    void theModelsCloneFlagsAreWhatTheKernelAnswers() {
        int asked = 0;
        for (NamespaceType type : NamespaceType.values()) {
            Path file = Path.of("/proc/self/ns/" + type.kernelName());
            if (!Files.exists(file)) {
                continue; // a kernel without this type (time: 5.6+, CONFIG_TIME_NS)
            }
            try (Fd ns = Descriptors.open(file)) {
                assertThat(NamespaceFiles.namespaceType(ns))
                        .as(type.kernelName())
                        .isEqualTo(type.cloneFlag());
                asked++;
            }
        }
        assertThat(asked).as("types this kernel has (all but time before 5.6)").isGreaterThanOrEqualTo(7);
    }

    @Test
    void theInitialUserNamespaceHasNoParent() throws Exception {
        assumeTrue(isInitialUserNamespace(), "needs the initial user namespace");
        try (Fd user = Descriptors.open(Path.of("/proc/self/ns/user"))) {
            // the initial user namespace has no parent (EPERM, as for one outside the caller's)
            assertThatThrownBy(() -> NamespaceFiles.parentNamespace(user))
                    .isInstanceOfSatisfying(SyscallException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EPERM);
                        assertThat(e.syscall()).isEqualTo("ioctl(NS_GET_PARENT)");
                    });
        }
    }

    private static boolean isInitialUserNamespace() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map")).trim().matches("0\\s+0\\s+4294967295");
        } catch (Exception e) {
            return false;
        }
    }
}
