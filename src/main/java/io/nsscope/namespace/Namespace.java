package io.nsscope.namespace;

import java.util.List;

/**
 * One namespace seen on the host, with the processes in it: a row of {@code lsns}.
 *
 * @param inode the namespace's inode number on the nsfs filesystem, the number in {@code /proc/<pid>/ns/<type>}'s
 *              link target and {@code lsns}'s NS column
 * @param type  its type
 * @param pids  the PIDs of the processes in it (whose {@code /proc/<pid>/ns/<type>} link points to it), ascending;
 *              their count is {@code lsns}'s NPROCS and the first is its PID column
 */
public record Namespace(long inode, NamespaceType type, List<Integer> pids) {

    public Namespace {
        pids = List.copyOf(pids);
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("a namespace found through processes has at least one");
        }
    }

    /** The number of processes in the namespace ({@code lsns} NPROCS). */
    public int nprocs() {
        return pids.size();
    }

    /** The lowest PID in the namespace ({@code lsns} PID). */
    public int lowestPid() {
        return pids.get(0);
    }
}
