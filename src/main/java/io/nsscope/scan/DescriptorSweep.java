package io.nsscope.scan;

/**
 * Spreads the reading of every process's {@code fd/} over {@link #ROUNDS} scans. Stat'ing every descriptor of each of
 * 3,000 processes costs the kernel tens of milliseconds of CPU per scan, and descriptors of namespace files and of
 * sockets made in another network namespace are rare; so a scan reads the whole table of the processes it has not seen
 * before (a new PID, or a PID with another start time) and, on their turn (one in {@link #ROUNDS} scans, by PID), of
 * the others that ran since their table was last read whole ({@link Activity}: a process none of whose threads ran
 * has the table it had). For a process that ran, the descriptors that held a namespace last time are checked again
 * every scan, keeping those that still do. A namespace newly opened, or a socket newly received, by a long-lived
 * process is so found within {@link #ROUNDS} scans; one whose last descriptor closed is gone at the next scan, as is
 * every holder of a process that exited.
 */
final class DescriptorSweep {

    /** In how many scans every descriptor table is read once. */
    static final int ROUNDS = 4;

    private DescriptorSweep() {}

    /** Whether this scan is the process's turn to have its whole descriptor table read (if it ran since). */
    static boolean turn(int pid, long sequence) {
        return Math.floorMod(pid, ROUNDS) == Math.floorMod(sequence, ROUNDS);
    }
}
