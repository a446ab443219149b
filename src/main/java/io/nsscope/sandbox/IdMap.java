package io.nsscope.sandbox;

/**
 * One line of {@code /proc/PID/uid_map} (and the same for GIDs): {@code count} ids from {@code inside} in the
 * sandbox's user namespace are {@code count} ids from {@code outside} on the host.
 *
 * @param inside  the first id inside the user namespace
 * @param outside the first id on the host
 * @param count   how many consecutive ids
 */
public record IdMap(long inside, long outside, long count) {

    /** Whether the host id {@code id} is in this range's outside ids. */
    boolean containsOutside(long id) {
        return id >= outside && id < outside + count;
    }

    /** The line as the kernel takes it. */
    String line() {
        return inside + " " + outside + " " + count + "\n";
    }
}
