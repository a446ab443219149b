package io.nsscope.sandbox;

/**
 * Offsets of a new time namespace's clocks, in seconds ({@code /proc/PID/timens_offsets}).
 *
 * @param monotonic added to {@code CLOCK_MONOTONIC}
 * @param boottime  added to {@code CLOCK_BOOTTIME} (and so to {@code /proc/uptime})
 */
public record TimeOffsets(long monotonic, long boottime) {

    String fileContent() {
        return "monotonic " + monotonic + " 0\nboottime " + boottime + " 0\n";
    }
}
