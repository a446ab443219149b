package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.namespace.NamespaceType;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@link SandboxSpec} field by field; the first fault becomes a {@link SandboxRequestException}. */
final class SpecValidator {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final long MAX_ID = 4294967295L; // (uid_t) -1 is never a valid id
    private static final long MAX_OFFSET = 100L * 365 * 24 * 3600;
    static final int MAX_ARGS = 1024;
    static final int MAX_ENV = 256;
    static final int MAX_MAPS = 340;

    private final NsscopeProperties.Sandbox config;
    private final UidPool pool;
    private final List<PathMatcher> allowed = new ArrayList<>();

    SpecValidator(NsscopeProperties.Sandbox config, UidPool pool) {
        this.config = config;
        this.pool = pool;
        config.allowedExecutables().forEach(g -> allowed.add(FileSystems.getDefault().getPathMatcher("glob:" + g)));
    }

    void validate(SandboxSpec spec) {
        Set<NamespaceType> types = spec.namespaces();
        if (types == null || types.isEmpty()) {
            throw new SandboxRequestException("namespaces", "Give at least one namespace type.");
        }
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
            require(Math.abs(spec.timeOffsets().monotonic()) <= MAX_OFFSET, "timeOffsets.monotonic",
                    "An offset is at most 100 years (" + MAX_OFFSET + " s).");
            require(Math.abs(spec.timeOffsets().boottime()) <= MAX_OFFSET, "timeOffsets.boottime",
                    "An offset is at most 100 years (" + MAX_OFFSET + " s).");
        }
        if (Boolean.TRUE.equals(spec.mountProc())) {
            require(types.contains(NamespaceType.PID) && types.contains(NamespaceType.MNT), "mountProc",
                    "A /proc of its own needs new pid and mnt namespaces.");
        }
        if (spec.ttl() != null) {
            require(!spec.ttl().isNegative() && !spec.ttl().isZero(), "ttlSeconds", "The TTL must be positive.");
            require(spec.ttl().compareTo(config.maxTtl()) <= 0, "ttlSeconds",
                    "The TTL is at most nsscope.sandbox.max-ttl, " + config.maxTtl().toSeconds() + " s.");
        }
        env(spec.env());
    }

    Duration ttl(SandboxSpec spec) {
        return spec.ttl() == null ? config.defaultTtl() : spec.ttl();
    }

    private void command(List<String> command) {
        require(command != null && !command.isEmpty(), "command", "Give the command as an argv array.");
        require(command.size() <= MAX_ARGS, "command", "At most " + MAX_ARGS + " arguments.");
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            require(arg != null && arg.indexOf('\0') < 0, "command[" + i + "]", "An argument is a string without NUL.");
        }
        String exe = command.get(0);
        require(exe.startsWith("/") && Path.of(exe).normalize().toString().equals(exe) && exe.indexOf('=') < 0,
                "command[0]", "The executable is an absolute, normalised path without '='.");
        if (allowed.stream().noneMatch(m -> m.matches(Path.of(exe)))) {
            throw new ExecutableNotAllowedException(exe);
        }
        Path path = Path.of(exe);
        require(Files.isRegularFile(path) && Files.isExecutable(path), "command[0]",
                "'" + exe + "' is not an executable file.");
    }

    private static void hostname(String name) {
        require(!name.isEmpty() && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 64, "hostname",
                "A host name has 1 to 64 characters.");
        for (String label : name.split("\\.", -1)) {
            require(LABEL.matcher(label).matches(), "hostname",
                    "A host name is dot-separated labels of letters, digits and inner hyphens (RFC 1123).");
        }
    }

    private void maps(UserMapping user) {
        if (user.mode() != UserMapping.Mode.EXPLICIT) {
            return;
        }
        List<IdMap> maps = user.maps();
        require(!maps.isEmpty() && maps.size() <= MAX_MAPS, "user.mapping", "Give 1 to 340 maps.");
        for (int i = 0; i < maps.size(); i++) {
            IdMap m = maps.get(i);
            String at = "user.mapping[" + i + "]";
            require(m.count() > 0, at + ".count", "count must be positive.");
            require(m.inside() >= 0 && m.inside() + m.count() <= MAX_ID, at + ".inside",
                    "inside ids are 0 to 4294967294.");
            require(pool.contains(m.outside(), m.count()), at + ".outside", "The outside range must lie in"
                    + " nsscope.sandbox.uid-pool, " + pool.first() + "-" + pool.last() + ".");
            for (int j = 0; j < i; j++) {
                IdMap o = maps.get(j);
                require(m.inside() >= o.inside() + o.count() || o.inside() >= m.inside() + m.count(),
                        at + ".inside", "The inside range overlaps user.mapping[" + j + "].");
                require(m.outside() >= o.outside() + o.count() || o.outside() >= m.outside() + m.count(),
                        at + ".outside", "The outside range overlaps user.mapping[" + j + "].");
            }
        }
    }

    private static void env(Map<String, String> env) {
        if (env == null) {
            return;
        }
        require(env.size() <= MAX_ENV, "env", "At most " + MAX_ENV + " variables.");
        env.forEach((name, value) -> {
            require(name != null && ENV_NAME.matcher(name).matches(), "env." + name,
                    "A variable name is letters, digits and underscores, not starting with a digit.");
            require(!Reaping.MARK.equals(name), "env." + name, "nsscope sets " + Reaping.MARK + " itself.");
            require(value != null && value.indexOf('\0') < 0, "env." + name, "A value is a string without NUL.");
        });
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new SandboxRequestException(field, message);
        }
    }
}
