package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.jna.Capabilities.Capability;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** capget(2) against the kernel's own account of the thread's capabilities. */
class CapabilitiesTest {

    private static final class CapSet {
        static {
            com.sun.jna.Native.register("libc.so.6");
        }

        static native long syscall(long number, int[] header, int[] data);
    }

    private static long capEff(String status) {
        return status.lines()
                .filter(l -> l.startsWith("CapEff:"))
                .map(l -> Long.parseUnsignedLong(l.substring(7).strip(), 16))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theEffectiveSetIsTheThreadsCapEff() throws Exception {
        long fromStatus = capEff(Files.readString(Path.of("/proc/thread-self/status")));
        assertThat(Capabilities.effective()).isEqualTo(fromStatus);
        assertThat(Capabilities.has(Capability.CAP_SYS_ADMIN)).isEqualTo((fromStatus >>> 21 & 1) == 1);
    }

    @Test
    void itIsTheCallingThreadsSet() {
        // A thread that cleared its capabilities (capset(2), which may always lower them) has none; others keep theirs.
        long before = Capabilities.effective();
        long dropped = ThrowawayThread.call("test-capget", () -> {
            CapSet.syscall(
                    "aarch64".equals(System.getProperty("os.arch")) ? 91 : 126,
                    new int[] {0x20080522, 0},
                    new int[6]); // capset(2): the calling thread, every set empty
            return Capabilities.effective();
        });
        assertThat(dropped).isZero();
        assertThat(Capabilities.effective()).isEqualTo(before);
    }
}
