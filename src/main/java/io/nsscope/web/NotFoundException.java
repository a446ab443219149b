package io.nsscope.web;

import io.nsscope.web.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A PID or namespace that is not in the snapshot: 404, of the process's or the namespace's problem type. */
final class NotFoundException extends ErrorResponseException {

    private NotFoundException(Problems problem, String message) {
        super(HttpStatus.NOT_FOUND, problem.problem(HttpStatus.NOT_FOUND, message), null);
    }

    static NotFoundException process(int pid) {
        return new NotFoundException(Problems.PROCESS_NOT_FOUND, "No process with PID " + pid + " in the snapshot.");
    }

    static NotFoundException namespace(long ns) {
        return new NotFoundException(
                Problems.NAMESPACE_NOT_FOUND, "No namespace with inode " + ns + " in the snapshot.");
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
