package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.jna.SyscallException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
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
    void failedProcfsWritesKeepTheirErrno() {
        assertThat(Errors.of("write(setgroups)", new AccessDeniedException("/proc/1/setgroups")).condition())
                .isEqualTo("EACCES");
        assertThat(Errors.of("write(uid_map)", new FileSystemException("/proc/1/uid_map", null,
                "Operation not permitted")).condition()).isEqualTo("EPERM");
        assertThat(Errors.of("write(timens_offsets)", new java.io.IOException("Invalid argument")).condition())
                .isEqualTo("EINVAL");
        assertThat(Errors.of("write(timens_offsets)", new java.io.IOException("Numerical result out of range"))
                .condition()).isEqualTo("ERANGE");
    }
}
