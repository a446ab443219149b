package io.nsscope.web;

import java.util.List;

/** Rows of the lsns table for the text renderers' tests: a namespace with its lowest process, nothing else. */
final class NamespaceRows {

    private NamespaceRows() {}

    /** A namespace of {@code nprocs} processes, the lowest {@code pid} (null: none), as lsns lists it. */
    static NamespaceView row(
            long ns, String type, int nprocs, Integer pid, String user, String command, boolean ghost) {
        return new NamespaceView(
                ns,
                type,
                pid == null ? null : "/proc/" + pid + "/ns/" + type,
                nprocs,
                pid,
                0,
                command,
                0,
                user,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                ghost,
                null,
                null);
    }

    /** The same, not a ghost. */
    static NamespaceView row(long ns, String type, int nprocs, int pid, String user, String command) {
        return row(ns, type, nprocs, pid, user, command, false);
    }
}
