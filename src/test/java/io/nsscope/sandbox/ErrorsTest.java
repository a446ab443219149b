package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.jna.SyscallException;
import org.junit.jupiter.api.Test;

/** Kernel refusals become problems that name the call and the condition, and say what it means here. */
class ErrorsTest {

    @Test
    void errnoNamesTheConditionAndItsMeaning() {
        SandboxSyscallException e = Errors.of(new SyscallException("unshare", 28));
        assertThat(e.syscall()).isEqualTo("unshare");
        assertThat(e.condition()).isEqualTo("ENOSPC");
        assertThat(e.getMessage()).contains("namespace limit");
        assertThat(Errors.of(new SyscallException("mount", 1)).getMessage()).contains("CAP_SYS_ADMIN");
        assertThat(Errors.of(new SyscallException("setns", 200)).condition()).isEqualTo("errno 200");
    }

    @Test
    void procfsWriteFailuresKeepTheErrnoOfTheCall() {
        assertThat(Errors.of(new SyscallException("write(uid_map)", 1)).condition())
                .isEqualTo("EPERM");
        assertThat(Errors.of(new SyscallException("write(timens_offsets)", 22)).condition())
                .isEqualTo("EINVAL");
        SandboxSyscallException range = Errors.of(new SyscallException("write(timens_offsets)", 34));
        assertThat(range.condition()).isEqualTo("ERANGE");
        assertThat(range.getMessage()).contains("out of range");
    }
}
