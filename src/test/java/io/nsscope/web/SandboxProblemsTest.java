package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.sandbox.SandboxSyscallException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/** The status each kernel condition gets (the live tests can provoke only some of them). */
class SandboxProblemsTest {

    private static ResponseEntity<Object> answer(String condition) {
        return new ProblemHandling().syscallFailed(new SandboxSyscallException("unshare", condition, 0, "meaning"),
                new MockHttpServletRequest("POST", "/sandboxes"));
    }

    @Test
    void eachConditionHasItsStatus() {
        assertThat(answer("EPERM").getStatusCode().value()).isEqualTo(500);
        assertThat(answer("EACCES").getStatusCode().value()).isEqualTo(500);
        assertThat(answer("EINVAL").getStatusCode().value()).isEqualTo(422);
        assertThat(answer("ERANGE").getStatusCode().value()).isEqualTo(422);
        ResponseEntity<Object> full = answer("ENOSPC");
        assertThat(full.getStatusCode().value()).isEqualTo(503);
        assertThat(full.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer("EUSERS").getStatusCode().value()).isEqualTo(503);
        ProblemDetail body = (ProblemDetail) full.getBody();
        assertThat(body.getType().toString()).isEqualTo("/problems/syscall-failed");
        assertThat(body.getProperties()).containsEntry("syscall", "unshare").containsEntry("errno", "ENOSPC");
    }
}
