package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The control groups of a process, {@code /proc/<pid>/cgroup} (cgroups(7), "/proc/[pid]/cgroup"): one
 * {@code hierarchy-ID:controller-list:cgroup-path} line per hierarchy. A cgroup v2 host has the single line
 * {@code 0::/path}; a v1 (or hybrid) host has one line per mounted v1 hierarchy, such as
 * {@code 4:memory:/docker/<id>} and {@code 1:name=systemd:/system.slice/ssh.service}, plus {@code 0::/path} on a
 * hybrid host. Paths are relative to the reader's cgroup namespace root, so they may start with {@code /..}.
 *
 * @param entries the lines, in the file's order
 */
public record ProcCgroup(List<Entry> entries) {

    /** The suffix the kernel appends to the path of a cgroup that was removed (a zombie's, for instance). */
    private static final String DELETED = " (deleted)";

    public ProcCgroup {
        entries = List.copyOf(entries);
    }

    /**
     * One line of the file.
     *
     * @param hierarchyId the hierarchy's ID: 0 for the cgroup v2 (unified) hierarchy, as in {@code /proc/cgroups}
     *                    for v1 ones
     * @param controllers the controllers bound to the hierarchy ({@code memory}, {@code cpu,cpuacct}), or the
     *                    named hierarchy ({@code name=systemd}); empty for v2
     * @param path        the process's cgroup in the hierarchy, relative to the reader's cgroup namespace root,
     *                    without the kernel's {@code " (deleted)"} mark
     */
    public record Entry(int hierarchyId, List<String> controllers, String path) {

        public Entry {
            controllers = List.copyOf(controllers);
        }

        /** Whether this is the cgroup v2 line, {@code 0::/path}. */
        public boolean isUnified() {
            return hierarchyId == 0 && controllers.isEmpty();
        }
    }

    /** Parses the file's text; a malformed line (there should be none) is skipped. */
    public static ProcCgroup parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                continue;
            }
            int id;
            try {
                id = Integer.parseInt(line.substring(0, first));
            } catch (NumberFormatException e) {
                continue;
            }
            String list = line.substring(first + 1, second);
            String path = line.substring(second + 1);
            if (path.endsWith(DELETED)) {
                path = path.substring(0, path.length() - DELETED.length());
            }
            entries.add(new Entry(id, list.isEmpty() ? List.of() : List.of(list.split(",")), path));
        }
        return new ProcCgroup(entries);
    }

    /** Reads and parses {@code <root>/<pid>/cgroup}. */
    public static ProcCgroup read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "cgroup"));
    }

    /**
     * The distinct paths, most telling first: the v2 line's, then the {@code name=systemd} hierarchy's (systemd's
     * own tree on a v1 host), then the others in the file's order. Empty when the file has no line.
     */
    public List<String> paths() {
        Set<String> paths = new LinkedHashSet<>();
        entries.stream().filter(Entry::isUnified).forEach(e -> paths.add(e.path()));
        entries.stream().filter(e -> e.controllers().contains("name=systemd")).forEach(e -> paths.add(e.path()));
        entries.forEach(e -> paths.add(e.path()));
        return List.copyOf(paths);
    }

    /**
     * The host path of the cgroup namespace's root for one hierarchy, from the same cgroup's path seen from outside
     * ({@code /system.slice/box.scope/inner}) and from inside the namespace ({@code /inner}): the outside path with
     * the inside path's tail removed ({@code /system.slice/box.scope}). Null when the inside path lies above the
     * namespace's root ({@code /..}: the process was moved out of it) or does not end the outside path.
     */
    public static String namespaceRoot(String outside, String inside) {
        if (inside.equals("/")) {
            return outside;
        }
        if (inside.startsWith("/..") || !outside.endsWith(inside)) {
            return null;
        }
        String root = outside.substring(0, outside.length() - inside.length());
        return root.isEmpty() ? "/" : root;
    }
}
