package io.nsscope.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.events.TooManySubscribersException;
import io.nsscope.sandbox.ExecutableNotAllowedException;
import io.nsscope.sandbox.SandboxLimitException;
import io.nsscope.sandbox.SandboxNotFoundException;
import io.nsscope.sandbox.SandboxRequestException;
import io.nsscope.sandbox.SandboxStartException;
import io.nsscope.sandbox.SandboxSyscallException;
import io.nsscope.sandbox.SandboxesDisabledException;
import io.nsscope.sandbox.UidRangeInUseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * The exceptions of other packages name their own problem types: each must be one of {@link Problems}, with the
 * same title, so that {@code GET /problems/{type}} explains every type a client can get.
 */
class ProblemsTest {

    @Test
    void everyErrorResponseOfAnotherPackageIsInTheCatalogWithItsTitle() {
        List<ErrorResponse> answers = List.of(
                new TooManySubscribersException(),
                new SandboxRequestException("namespaces", "x"),
                new ExecutableNotAllowedException("/bin/x"),
                new SandboxLimitException("x", 1),
                new SandboxNotFoundException("x"),
                new SandboxStartException("x", "out"),
                new SandboxSyscallException("unshare", "EPERM", 1, "x"),
                new SandboxesDisabledException(),
                new UidRangeInUseException("x"));
        for (ErrorResponse answer : answers) {
            ProblemDetail body = answer.getBody();
            String type = body.getType().toString();
            assertThat(type).startsWith(Problems.PREFIX);
            Map<String, Object> described = Problems.describe(type.substring(Problems.PREFIX.length()));
            assertThat(described).as(type).isNotNull().containsEntry("title", body.getTitle());
            assertThat(body.getStatus())
                    .as(type)
                    .isEqualTo(answer.getStatusCode().value());
        }
    }

    @Test
    void retryAfterTravelsWithTheRefusal() {
        assertThat(new SandboxLimitException("x", 17).getHeaders().getFirst("Retry-After"))
                .isEqualTo("17");
        assertThat(new TooManySubscribersException().getHeaders().getFirst("Retry-After"))
                .isEqualTo("30");
    }

    @Test
    void aProblemHasItsTypesUriAndTitle() {
        ProblemDetail problem =
                Problems.PROCESS_NOT_FOUND.problem(HttpStatus.NOT_FOUND, "No process with PID 7 in the snapshot.");
        assertThat(problem.getType().toString()).isEqualTo("/problems/process-not-found");
        assertThat(problem.getTitle()).isEqualTo("No such process");
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getDetail()).isEqualTo("No process with PID 7 in the snapshot.");
    }
}
