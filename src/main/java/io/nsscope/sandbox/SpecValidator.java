package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link SandboxSpec} field by field; the first fault becomes a {@link SandboxRequestException} naming the
 * field. Numbers are checked for their range before any arithmetic, and the arithmetic is exact, so no value can
 * wrap into an allowed one.
 */
final class SpecValidator {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The highest id a map may name: {@code (uid_t) -1}, 4294967295, is never a valid id. */
    static final long MAX_ID = 4294967294L;

    private static final long MAX_OFFSET = 100L * 365 * 24 * 3600;
    static final int MAX_ARGS = 1024;
    static final int MAX_ENV = 256;
    static final int MAX_MAPS = 340;
    /**
     * Variables that change how the dynamic loader and the C library load code or data, refused: every {@code LD_*}
     * and those glibc strips for set-user-ID programs ({@code unsecvars.h}), {@code MALLOC_*} and
     * {@code GLIBC_TUNABLES} among them.
     */
    private static final Set<String> LOADER_VARIABLES = Set.of(
            "GCONV_PATH",
            "GETCONF_DIR",
            "GLIBC_TUNABLES",
            "HOSTALIASES",
            "LOCALDOMAIN",
            "LOCPATH",
            "NIS_PATH",
            "NLSPATH",
            "RESOLV_HOST_CONF",
            "RES_OPTIONS",
            "TMPDIR",
            "TZDIR");

    private final NsscopeProperties.Sandbox config;
    private final UidPool pool;
    private final SandboxCgroups cgroups;
    private final List<PathMatcher> allowed = new ArrayList<>();

    SpecValidator(NsscopeProperties.Sandbox config, UidPool pool, SandboxCgroups cgroups) {
        this.config = config;
        this.pool = pool;
        this.cgroups = cgroups;
        config.allowedExecutables()
                .forEach(g -> allowed.add(FileSystems.getDefault().getPathMatcher("glob:" + g)));
    }

    /** Checks every field, then opens the executable: the one the launch will exec. */
    Executable validate(SandboxSpec spec) {
        Set<NamespaceType> types = spec.namespaces();
        if (types == null || types.isEmpty()) {
            throw new SandboxRequestException("namespaces", "Give at least one namespace type.");
        }
        for (String required : config.requiredNamespaces()) {
            require(
                    types.contains(NamespaceType.fromKernelName(required).orElseThrow()),
                    "namespaces",
                    "Every sandbox here has new " + String.join(", ", config.requiredNamespaces())
                            + " namespaces (nsscope.sandbox.required-namespaces); add \"" + required + "\".");
        }
        require(
                types.contains(NamespaceType.PID) || cgroups.unusable() == null,
                "namespaces",
                "Sandboxes run without cgroups here (" + cgroups.unusable() + "), so each needs a new pid namespace:"
                        + " its end is the only way to end all its processes. Add \"pid\".");
        command(spec.command());
        if (spec.hostname() != null) {
            require(types.contains(NamespaceType.UTS), "hostname", "A host name needs a new uts namespace.");
            hostname(spec.hostname());
        }
        if (spec.user() != null) {
            require(types.contains(NamespaceType.USER), "user", "An id mapping needs a new user namespace.");
            maps(spec.user());
        }
        if (spec.timeOffsets() != null) {
            require(types.contains(NamespaceType.TIME), "timeOffsets", "Time offsets need a new time namespace.");
            offset("timeOffsets.monotonic", spec.timeOffsets().monotonic());
            offset("timeOffsets.boottime", spec.timeOffsets().boottime());
        }
        if (Boolean.TRUE.equals(spec.mountProc())) {
            require(
                    types.contains(NamespaceType.PID) && types.contains(NamespaceType.MNT),
                    "mountProc",
                    "A /proc of its own needs new pid and mnt namespaces.");
        }
        if (spec.ttl() != null) {
            require(!spec.ttl().isNegative() && !spec.ttl().isZero(), "ttlSeconds", "The TTL must be positive.");
            require(
                    spec.ttl().compareTo(config.maxTtl()) <= 0,
                    "ttlSeconds",
                    "The TTL is at most nsscope.sandbox.max-ttl, "
                            + config.maxTtl().toSeconds() + " s.");
        }
        env(spec.env());
        return Executable.open(spec.command().get(0));
    }

    Duration ttl(SandboxSpec spec) {
        return spec.ttl() == null ? config.defaultTtl() : spec.ttl();
    }

    private static void offset(String field, long seconds) {
        require(
                seconds >= -MAX_OFFSET && seconds <= MAX_OFFSET,
                field,
                "An offset is at most 100 years (" + MAX_OFFSET + " s).");
    }

    private void command(List<String> command) {
        require(command != null && !command.isEmpty(), "command", "Give the command as an argv array.");
        require(command.size() <= MAX_ARGS, "command", "At most " + MAX_ARGS + " arguments.");
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            require(arg != null && arg.indexOf('\0') < 0, "command[" + i + "]", "An argument is a string without NUL.");
        }
        String exe = command.get(0);
        require(
                exe.startsWith("/") && Path.of(exe).normalize().toString().equals(exe),
                "command[0]",
                "The executable is an absolute, normalised path.");
        if (allowed.stream().noneMatch(m -> m.matches(Path.of(exe)))) {
            throw new ExecutableNotAllowedException(exe);
        }
    }

    private static void hostname(String name) {
        require(
                !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= 64,
                "hostname",
                "A host name has 1 to 64 characters.");
        for (String label : name.split("\\.", -1)) {
            require(
                    LABEL.matcher(label).matches(),
                    "hostname",
                    "A host name is dot-separated labels of letters, digits and inner hyphens (RFC 1123).");
        }
    }

    /**
     * Explicit maps: each of inside, outside and count within 0 to 4294967294 (count from 1), checked before any
     * sum; inside ranges end by 4294967295, outside ranges lie in the pool; no two ranges overlap, inside or outside.
     */
    private void maps(UserMapping user) {
        if (user.mode() != UserMapping.Mode.EXPLICIT) {
            require(user.maps().isEmpty(), "user.mapping", "Maps go with an explicit mapping only.");
            return;
        }
        List<IdRange> maps = user.maps();
        require(!maps.isEmpty() && maps.size() <= MAX_MAPS, "user.mapping", "Give 1 to " + MAX_MAPS + " maps.");
        for (int i = 0; i < maps.size(); i++) {
            IdRange m = maps.get(i);
            String at = "user.mapping[" + i + "]";
            require(m.inside() >= 0 && m.inside() <= MAX_ID, at + ".inside", "inside is 0 to " + MAX_ID + ".");
            require(m.outside() >= 0 && m.outside() <= MAX_ID, at + ".outside", "outside is 0 to " + MAX_ID + ".");
            require(m.count() >= 1 && m.count() <= MAX_ID, at + ".count", "count is 1 to " + MAX_ID + ".");
            require(
                    Math.addExact(m.inside(), m.count()) <= MAX_ID + 1,
                    at + ".count",
                    "inside + count is at most " + (MAX_ID + 1) + ".");
            require(
                    pool.contains(m.outside(), m.count()),
                    at + ".outside",
                    "The outside range must lie in" + " nsscope.sandbox.uid-pool, " + pool.first() + "-" + pool.last()
                            + ".");
            for (int j = 0; j < i; j++) {
                IdRange o = maps.get(j);
                require(
                        disjoint(m.inside(), m.count(), o.inside(), o.count()),
                        at + ".inside",
                        "The inside range overlaps user.mapping[" + j + "].");
                require(
                        disjoint(m.outside(), m.count(), o.outside(), o.count()),
                        at + ".outside",
                        "The outside range overlaps user.mapping[" + j + "].");
            }
        }
    }

    private static boolean disjoint(long a, long aCount, long b, long bCount) {
        return a >= Math.addExact(b, bCount) || b >= Math.addExact(a, aCount);
    }

    private static void env(Map<String, String> env) {
        if (env == null) {
            return;
        }
        require(env.size() <= MAX_ENV, "env", "At most " + MAX_ENV + " variables.");
        env.forEach((name, value) -> {
            require(
                    name != null && ENV_NAME.matcher(name).matches(),
                    "env." + name,
                    "A variable name is letters, digits and underscores, not starting with a digit.");
            require(!Reaping.MARK.equals(name), "env." + name, "nsscope sets " + Reaping.MARK + " itself.");
            require(
                    !name.startsWith("LD_") && !name.startsWith("MALLOC_") && !LOADER_VARIABLES.contains(name),
                    "env." + name,
                    "Variables that steer the dynamic loader or the C library (LD_*, MALLOC_*,"
                            + " GCONV_PATH, GLIBC_TUNABLES and the others glibc drops for set-user-ID programs) are"
                            + " refused.");
            require(value != null && value.indexOf('\0') < 0, "env." + name, "A value is a string without NUL.");
        });
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new SandboxRequestException(field, message);
        }
    }
}
