package io.nsscope.scan;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.Mountinfo;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.process.ProcessInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Namespaces held by bind mounts ({@code ip netns add} mounts {@code /run/netns/NAME}): the {@code nsfs} entries of
 * the {@code mountinfo} of every mount namespace on the host, read through its lowest-PID process ({@code lsns}
 * reads only its own mount namespace's).
 */
final class MountHolders {

    private MountHolders() {
    }

    static List<NamespaceRef> read(ProcFs procFs, List<ProcessInfo> processes) {
        // processes are in ascending PID order: the first seen in a mount namespace is its lowest PID; the others
        // are asked in turn when it cannot show its mounts (it exited, or is exiting: EINVAL)
        Map<Long, List<Integer>> readers = new LinkedHashMap<>();
        for (ProcessInfo p : processes) {
            Long mnt = p.namespace(NamespaceType.MNT);
            if (mnt != null && !p.kernelThread()) {
                readers.computeIfAbsent(mnt, k -> new ArrayList<>(1)).add(p.pid());
            }
        }
        // one mountinfo per mount namespace, read in parallel (the caller runs this on the scan's pool)
        return readers.entrySet().parallelStream()
                .flatMap(entry -> inOneNamespace(procFs, entry.getKey(), entry.getValue()).stream())
                .toList();
    }

    private static List<NamespaceRef> inOneNamespace(ProcFs procFs, long mountNamespace, List<Integer> pids) {
        for (int pid : pids) {
            Optional<String> text = readMountinfo(procFs, pid);
            if (text.isPresent()) {
                return nsfsMounts(procFs, pid, mountNamespace, text.get());
            }
        }
        return List.of();
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
            Optional<NamespaceType> type = bracket > 0
                    ? NamespaceType.fromKernelName(root.substring(0, bracket)) : Optional.empty();
            if (type.isEmpty()) {
                continue;
            }
            long inode = NamespaceLinks.parseTarget(NamespaceLink.of(type.get()), root);
            String path = mount.mountPoint();
            refs.add(new NamespaceRef(type.get(), inode, Holder.mount(pid, mountNamespace, path),
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
