package io.nsscope.namespace;

/**
 * One line of a user namespace's {@code uid_map} or {@code gid_map} (user_namespaces(7)): the ids {@code inside ..
 * inside+count-1} in the namespace are {@code outside .. outside+count-1} in the user namespace of whoever reads or
 * writes the map (the host's, for nsscope on the host).
 *
 * @param inside  the first id inside the namespace
 * @param outside the first id it maps to outside
 * @param count   how many consecutive ids the line maps (up to 4294967295)
 */
public record IdRange(long inside, long outside, long count) {

    /** Whether the outside id {@code id} is one of this line's. */
    public boolean containsOutside(long id) {
        return id >= outside && id < outside + count;
    }

    /** The line as the kernel writes and takes it, newline included. */
    public String line() {
        return inside + " " + outside + " " + count + "\n";
    }
}
