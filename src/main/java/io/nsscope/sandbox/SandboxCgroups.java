package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Mounts;
import io.nsscope.jna.SyscallException;
import io.nsscope.procfs.Mountinfo;
import io.nsscope.procfs.ProcCgroup;
import io.nsscope.procfs.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup v2 directory sandboxes' leaves are made in ({@code nsscope.sandbox.cgroup.parent}), found once at
 * startup: the leaves get {@code pids.max}, {@code memory.max} and {@code cpu.max} where the parent could enable
 * those controllers, and end through {@code cgroup.kill}. When there is no writable cgroup v2 hierarchy with
 * {@code cgroup.kill} (Linux 5.14+), it says why ({@link #unusable()}); sandboxes then need a pid namespace, whose
 * end takes every process in it along.
 */
final class SandboxCgroups {

    private static final Logger log = LoggerFactory.getLogger(SandboxCgroups.class);
    private static final List<String> CONTROLLERS = List.of("pids", "memory", "cpu");

    private final Path parent;
    private final String unusable;
    private final Map<String, String> limits;
    private final Path privateMount;

    private SandboxCgroups(Path parent, String unusable, Map<String, String> limits, Path privateMount) {
        this.parent = parent;
        this.unusable = unusable;
        this.limits = limits;
        this.privateMount = privateMount;
    }

    /** Sandboxes without cgroups, for the reason given. */
    static SandboxCgroups none(String why) {
        return new SandboxCgroups(null, why, Map.of(), null);
    }

    /** Leaves in {@code parent} (which must exist) with these limits, as found: for tests of what uses them. */
    static SandboxCgroups at(Path parent, Map<String, String> limits) {
        return new SandboxCgroups(parent, null, Map.copyOf(limits), null);
    }

    /**
     * Finds or makes the parent, enabling what it can of {@code pids}, {@code memory} and {@code cpu}; the parent
     * itself gets {@code sandboxes} times each leaf's {@code pids.max} and {@code memory.max}, so that sandboxes
     * together never take more than the settings promise.
     */
    static SandboxCgroups open(NsscopeProperties.Sandbox.Cgroup config, int sandboxes, ProcFs proc) {
        int self = (int) ProcessHandle.current().pid();
        Path parent;
        Path own = null;
        Path privateMount = null;
        try {
            Optional<Mountinfo.Mount> mount = Mountinfo.read(proc, self).mounts().stream()
                    .filter(m -> m.fsType().equals("cgroup2"))
                    .findFirst();
            if (config.parent() == null && mount.isPresent() && readOnly(mount.get())) {
                mount = mountPrivately(proc, self);
                privateMount = mount.map(m -> Path.of(m.mountPoint())).orElse(null);
            }
            if (config.parent() != null) {
                parent = config.parent();
            } else if (mount.isEmpty()) {
                return none("no writable cgroup2 file system is mounted");
            } else {
                String path = ProcCgroup.read(proc, self).entries().stream()
                        .filter(ProcCgroup.Entry::isUnified)
                        .map(ProcCgroup.Entry::path)
                        .findFirst()
                        .orElse(null);
                String root = mount.get().root();
                if (path == null || !(path + "/").startsWith(root.equals("/") ? "/" : root + "/")) {
                    return none("nsscope's own cgroup v2 path is not below the cgroup2 mount");
                }
                own = Path.of(mount.get().mountPoint(), path.substring(root.length()));
                parent = own.resolve("nsscope-sandboxes");
            }
        } catch (IOException | RuntimeException e) {
            return none("nsscope's cgroup cannot be read: " + e.getMessage());
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            return none(parent + " cannot be made: " + e);
        }
        if (!Files.exists(parent.resolve("cgroup.kill"))) {
            return none(parent + " is not a cgroup v2 directory with cgroup.kill (Linux 5.14+)");
        }
        List<String> enabled = new ArrayList<>();
        for (String controller : CONTROLLERS) {
            if (enable(own, parent, controller, self)) {
                enabled.add(controller);
            }
        }
        Map<String, String> limits = new LinkedHashMap<>();
        if (enabled.contains("pids")) {
            limits.put("pids.max", Integer.toString(config.pidsMax()));
        }
        if (enabled.contains("memory")) {
            limits.put("memory.max", Long.toString(config.memoryMax().toBytes()));
        }
        if (enabled.contains("cpu")) {
            limits.put("cpu.max", config.cpuMax());
        }
        if (limits.size() < CONTROLLERS.size()) {
            log.warn(
                    "sandbox cgroups in {}: only {} of the controllers pids, memory and cpu can be enabled there"
                            + " (the others are bound to cgroup v1 or not delegated): those limits are not set",
                    parent,
                    enabled);
        }
        try {
            if (enabled.contains("pids")) {
                new CgroupLeaf(parent).set("pids.max", Long.toString((long) config.pidsMax() * sandboxes));
            }
            if (enabled.contains("memory")) {
                new CgroupLeaf(parent)
                        .set("memory.max", Long.toString(config.memoryMax().toBytes() * sandboxes));
            }
        } catch (SyscallException e) {
            log.warn(
                    "sandbox cgroups in {}: the limits of all sandboxes together cannot be set: {}",
                    parent,
                    e.getMessage());
        }
        return new SandboxCgroups(parent, null, Map.copyOf(limits), privateMount);
    }

    /** The writable cgroup2 nsscope mounted for itself, or null. */
    Path privateMount() {
        return privateMount;
    }

    private static boolean readOnly(Mountinfo.Mount mount) {
        return List.of(mount.options().split(",")).contains("ro");
    }

    /**
     * A container sees its cgroup file system read-only: with {@code CAP_SYS_ADMIN} (sandboxes have it) nsscope
     * mounts a cgroup2 of its own, writable, on a new 0700 directory {@code <java.io.tmpdir>/nsscope-cgroup*} in its
     * own mount namespace;
     * in the container's cgroup namespace its root is the container's cgroup, so the leaves are made below it.
     */
    private static Optional<Mountinfo.Mount> mountPrivately(ProcFs proc, int self) throws IOException {
        // a new directory of nsscope's own, 0700, never a path someone else could have made a link of
        Path target = Files.createTempDirectory("nsscope-cgroup");
        try {
            Mounts.mount(
                    "cgroup2",
                    target.toString(),
                    "cgroup2",
                    Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC,
                    null);
        } catch (SyscallException e) {
            log.warn(
                    "the cgroup2 file system is read-only here and a writable one cannot be mounted at {}: {}",
                    target,
                    e.getMessage());
            return Optional.empty();
        }
        return Mountinfo.read(proc, self).mounts().stream()
                .filter(m -> m.fsType().equals("cgroup2") && m.mountPoint().equals(target.toString()))
                .findFirst();
    }

    /**
     * Enables {@code controller} for the parent's children: in the parent's {@code cgroup.subtree_control}, after
     * nsscope's own cgroup's (auto parent only). cgroup v2 lets a non-root cgroup hand controllers down only while it
     * holds no process, so if nsscope's own cgroup refuses (EBUSY), nsscope first moves itself into a leaf
     * {@code nsscope} beside the parent.
     */
    private static boolean enable(Path own, Path parent, String controller, int self) {
        if (own != null) {
            if (!available(own, controller)) {
                return false;
            }
            try {
                subtree(own, controller);
            } catch (SyscallException e) {
                if (e.errno() != Errno.EBUSY || !moveSelf(own, self)) {
                    return false;
                }
                try {
                    subtree(own, controller);
                } catch (SyscallException again) {
                    return false;
                }
            }
        }
        if (!available(parent, controller)) {
            return false;
        }
        try {
            subtree(parent, controller);
            return true;
        } catch (SyscallException e) {
            return false;
        }
    }

    private static boolean available(Path cgroup, String controller) {
        try {
            return List.of(Files.readString(cgroup.resolve("cgroup.controllers"))
                            .trim()
                            .split(" "))
                    .contains(controller);
        } catch (IOException e) {
            return false;
        }
    }

    private static void subtree(Path cgroup, String controller) {
        Descriptors.writeFile(
                cgroup.resolve("cgroup.subtree_control"),
                ("+" + controller).getBytes(StandardCharsets.US_ASCII),
                "write(cgroup.subtree_control)");
    }

    private static boolean moveSelf(Path own, int self) {
        Path leaf = own.resolve("nsscope");
        try {
            Files.createDirectories(leaf);
            new CgroupLeaf(leaf).add(self);
            log.info("moved nsscope into {} so that {} can hand controllers to sandboxes", leaf, own);
            return true;
        } catch (IOException | SyscallException e) {
            return false;
        }
    }

    /** Why sandboxes run without cgroups, or null when they have them. */
    String unusable() {
        return unusable;
    }

    /** The directory the leaves are made in, or null. */
    Path parent() {
        return parent;
    }

    /** The limits each leaf gets, by control file. */
    Map<String, String> limits() {
        return limits;
    }

    /** Makes the leaf of sandbox {@code id} with the limits; null without cgroups. */
    CgroupLeaf create(String id) {
        if (parent == null) {
            return null;
        }
        CgroupLeaf leaf = new CgroupLeaf(parent.resolve(id));
        try {
            Files.createDirectory(leaf.dir());
        } catch (IOException e) {
            throw new SandboxStartException("its cgroup " + leaf.dir() + " cannot be made: " + e, "");
        }
        try {
            limits.forEach(leaf::set);
            return leaf;
        } catch (SyscallException e) {
            leaf.killAndRemove(java.time.Duration.ofSeconds(1));
            throw e;
        }
    }

    /** The leaves below the parent named like sandbox ids: those a previous run left, at startup. */
    List<CgroupLeaf> leaves() {
        List<CgroupLeaf> leaves = new ArrayList<>();
        if (parent == null) {
            return leaves;
        }
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(parent, p -> Ids.valid(p.getFileName().toString()))) {
            dirs.forEach(d -> leaves.add(new CgroupLeaf(d)));
        } catch (IOException e) {
            log.warn("cannot list {}: {}", parent, e.toString());
        }
        return leaves;
    }
}
