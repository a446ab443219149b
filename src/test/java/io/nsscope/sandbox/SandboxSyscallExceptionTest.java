package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The problem each kernel condition answers with (the live tests can provoke only some of them). */
class SandboxSyscallExceptionTest {

    private static SandboxSyscallException refused(String condition) {
        return new SandboxSyscallException("unshare", condition, 0, "meaning");
    }

    @Test
    void eachConditionHasItsStatus() {
        assertThat(refused("EPERM").getStatusCode().value()).isEqualTo(500);
        assertThat(refused("EACCES").getStatusCode().value()).isEqualTo(500);
        assertThat(refused("EINVAL").getStatusCode().value()).isEqualTo(422);
        assertThat(refused("ERANGE").getStatusCode().value()).isEqualTo(422);
        assertThat(refused("EUSERS").getStatusCode().value()).isEqualTo(503);
        SandboxSyscallException full = refused("ENOSPC");
        assertThat(full.getStatusCode().value()).isEqualTo(503);
        assertThat(full.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(refused("EPERM").getHeaders().getFirst("Retry-After")).isNull();
    }

    @Test
    void theBodyNamesTheCallAndTheErrno() {
        SandboxSyscallException e = refused("ENOSPC");
        assertThat(e.getBody().getType().toString()).isEqualTo("/problems/syscall-failed");
        assertThat(e.getBody().getTitle()).isEqualTo("The kernel refused");
        assertThat(e.getBody().getDetail())
                .isEqualTo("unshare failed with ENOSPC (errno 0): meaning")
                .isEqualTo(e.getMessage());
        assertThat(e.getBody().getProperties())
                .containsEntry("syscall", "unshare")
                .containsEntry("errno", "ENOSPC");
    }
}
