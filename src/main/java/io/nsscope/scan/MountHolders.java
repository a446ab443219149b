package io.nsscope.scan;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.Mountinfo;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Namespaces held by bind mounts ({@code ip netns add} mounts {@code /run/netns/NAME}): the {@code nsfs} entries of
 * the {@code mountinfo} of every mount namespace on the host, read through its lowest-PID process ({@code lsns}
 * reads only its own mount namespace's).
 *
 * <p>A mount table changes when a process in it mounts or unmounts (that process runs), or when a mount propagates
 * into it from a peer ({@code shared:} and {@code master:} in its {@code mountinfo}). So a namespace's
 * {@code mountinfo} is read again at every scan if it receives propagation, or if one of its processes, now or at the
 * last scan, ran, appeared or went since ({@link Activity}); otherwise what the last scan read of it still holds — but
 * for a process that enters it, mounts and leaves between two scans ({@code nsenter --mount}), which no process
 * tracked shows: for that every namespace's is read again on its turn, one scan in {@link DescriptorSweep#ROUNDS}.
 *
 * <p>State between scans, written by one scan at a time.
 */
final class MountHolders {

    /**
     * What a scan read of one mount namespace.
     *
     * @param pid        the process whose {@code mountinfo} it was
     * @param refs       the namespaces its nsfs mounts hold
     * @param propagates whether a mount of it receives or sends propagation ({@code shared:}, {@code master:})
     */
    private record Seen(int pid, List<NamespaceRef> refs, boolean propagates) {}

    private volatile Map<Long, Seen> last = Map.of();

    /**
     * The namespaces held by a bind mount in any mount namespace of these processes (in ascending PID order).
     *
     * @param touched  the mount namespaces some process of which, now or at the last scan, ran, appeared or went
     * @param sequence the scan's number: whose turn it is
     */
    List<NamespaceRef> read(ProcFs procFs, List<ProcessInfo> processes, Set<Long> touched, long sequence) {
        // processes are in ascending PID order: the first seen in a mount namespace is its lowest PID; the others
        // are asked in turn when it cannot show its mounts (it exited, or is exiting: EINVAL)
        Map<Long, List<Integer>> readers = new LinkedHashMap<>();
        for (ProcessInfo p : processes) {
            Long mnt = p.namespace(NamespaceType.MNT);
            if (mnt != null && !p.kernelThread()) {
                readers.computeIfAbsent(mnt, k -> new ArrayList<>(1)).add(p.pid());
            }
        }
        Map<Long, Seen> before = last;
        // one mountinfo per mount namespace to read, read in parallel (the caller runs this on the scan's pool)
        Map<Long, Seen> next = readers.entrySet().parallelStream()
                .collect(Collectors.toConcurrentMap(Map.Entry::getKey, entry -> {
                    long ns = entry.getKey();
                    Seen seen = before.get(ns);
                    boolean keep = seen != null
                            && !seen.propagates()
                            && !touched.contains(ns)
                            && seen.pid() == entry.getValue().get(0)
                            && Math.floorMod(ns, DescriptorSweep.ROUNDS)
                                    != Math.floorMod(sequence, DescriptorSweep.ROUNDS);
                    return keep ? seen : inOneNamespace(procFs, ns, entry.getValue());
                }));
        last = next;
        List<NamespaceRef> refs = new ArrayList<>();
        readers.keySet().forEach(ns -> refs.addAll(next.get(ns).refs()));
        return refs;
    }

    private static Seen inOneNamespace(ProcFs procFs, long mountNamespace, List<Integer> pids) {
        for (int pid : pids) {
            Optional<String> text = readMountinfo(procFs, pid);
            if (text.isPresent()) {
                String t = text.get();
                return new Seen(
                        pid,
                        nsfsMounts(procFs, pid, mountNamespace, t),
                        t.contains(" shared:") || t.contains(" master:"));
            }
        }
        return new Seen(-1, List.of(), true); // none could show it: asked again next time
    }

    /** The nsfs mounts in one {@code mountinfo} text; only their lines are parsed. */
    static List<NamespaceRef> nsfsMounts(ProcFs procFs, int pid, long mountNamespace, String text) {
        List<NamespaceRef> refs = new ArrayList<>(0);
        if (!text.contains(" - nsfs ")) {
            return refs;
        }
        StringBuilder nsfsLines = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.contains(" - nsfs ")) {
                nsfsLines.append(line).append('\n');
            }
        }
        for (Mountinfo.Mount mount : Mountinfo.parse(nsfsLines.toString()).mounts()) {
            String root = mount.root();
            int bracket = root.indexOf(":[");
            Optional<NamespaceType> type =
                    bracket > 0 ? NamespaceType.fromKernelName(root.substring(0, bracket)) : Optional.empty();
            if (type.isEmpty()) {
                continue;
            }
            long inode = NamespaceLinks.parseTarget(NamespaceLink.of(type.get()), root);
            String path = mount.mountPoint();
            refs.add(new NamespaceRef(
                    type.get(),
                    inode,
                    Holder.mount(pid, mountNamespace, path),
                    NamespaceOpener.of(procFs.pidDir(pid).resolve("root").resolve(path.substring(1)))));
        }
        return refs;
    }

    private static Optional<String> readMountinfo(ProcFs procFs, int pid) {
        try {
            return Optional.of(procFs.read(pid, "mountinfo"));
        } catch (ProcessVanishedException | IOException e) {
            // it exited or is exiting (ENOENT, ESRCH, EINVAL: its namespaces are released), hides its mounts
            // (EACCES), or has none to show (a zombie): try the namespace's next process
            return Optional.empty();
        }
    }
}
