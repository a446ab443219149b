package io.nsscope.sandbox;

import io.nsscope.namespace.NamespaceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a started sandbox is, read from its {@code /proc/PID}; and the environment it gets. */
final class Inspect {

    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Inspect() {
    }

    static Sandbox made(Path proc, String id, int pid, SandboxSpec spec, LaunchPlan plan, Instant createdAt,
            Instant expiresAt, boolean adopted) {
        Path dir = proc.resolve(Integer.toString(pid));
        List<IdMap> maps = plan.user() == null ? null : plan.idMaps();
        return new Sandbox(id, pid, nspid(dir, pid), namespaces(dir), Tracked.names(spec.namespaces()),
                spec.hostname(), maps, maps, plan.hostUid(), SandboxState.RUNNING, null, null, createdAt, expiresAt,
                null, List.copyOf(spec.command()), adopted);
    }

    /** The inode of each of the eight namespaces of {@code /proc/PID}, by type name. */
    static Map<String, Long> namespaces(Path dir) {
        Map<String, Long> inodes = new LinkedHashMap<>();
        for (NamespaceType type : NamespaceType.values()) {
            try {
                String link = Files.readSymbolicLink(dir.resolve("ns").resolve(type.kernelName())).toString();
                inodes.put(type.kernelName(), Long.parseLong(link.substring(link.indexOf('[') + 1, link.length() - 1)));
            } catch (IOException | RuntimeException e) {
                // the kernel lacks this type, or the process is already gone
            }
        }
        return inodes;
    }

    /** {@code NSpid} of {@code /proc/PID/status}: the PID in each pid namespace, outermost first. */
    static List<Integer> nspid(Path dir, int pid) {
        try {
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    return Arrays.stream(line.substring(6).trim().split("\\s+")).map(Integer::valueOf).toList();
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already
        }
        return List.of(pid);
    }

    /** The effective UID of {@code /proc/PID/status}, or -1. */
    static long uid(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already
        }
        return -1;
    }

    /** The request's variables, a minimal PATH unless it gives one, and the mark. Nothing of nsscope's own. */
    static List<String> environment(Map<String, String> env, String id) {
        List<String> out = new ArrayList<>();
        if (env == null || !env.containsKey("PATH")) {
            out.add(PATH);
        }
        if (env != null) {
            env.forEach((k, v) -> out.add(k + "=" + v));
        }
        out.add(Reaping.MARK + "=" + id);
        return out;
    }
}
