package io.nsscope.jna;

/**
 * How a child ended, from the {@code siginfo_t} that {@code waitid(2)} fills: {@code si_code} {@code CLD_EXITED}
 * gives an exit code, {@code CLD_KILLED} or {@code CLD_DUMPED} a signal number.
 *
 * @param exitCode the exit code, or null when killed by a signal
 * @param signal the signal number, or null when it exited
 */
public record ExitStatus(Integer exitCode, Integer signal) {

    private static final int CLD_EXITED = 1;

    static ExitStatus of(int siCode, int siStatus) {
        return siCode == CLD_EXITED ? new ExitStatus(siStatus, null) : new ExitStatus(null, siStatus);
    }
}
