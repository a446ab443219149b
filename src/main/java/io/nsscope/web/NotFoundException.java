package io.nsscope.web;

/** A PID or namespace that is not in the snapshot: answered with 404. */
final class NotFoundException extends RuntimeException {

    private final Problems problem;

    NotFoundException(Problems problem, String message) {
        super(message);
        this.problem = problem;
    }

    Problems problem() {
        return problem;
    }

    static NotFoundException process(int pid) {
        return new NotFoundException(Problems.PROCESS_NOT_FOUND, "No process with PID " + pid + " in the snapshot.");
    }

    static NotFoundException namespace(long ns) {
        return new NotFoundException(Problems.NAMESPACE_NOT_FOUND, "No namespace with inode " + ns + " in the snapshot.");
    }
}
