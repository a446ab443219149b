package io.nsscope.sandbox;

import io.nsscope.namespace.NamespaceType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client asks a sandbox to be; {@link SandboxService#create} validates it.
 *
 * @param namespaces  the types of namespace to create (a non-empty subset of the eight)
 * @param command     argv: an absolute path to an executable, then its arguments
 * @param hostname    the uts namespace's host name (only with {@code uts}); null: the host's
 * @param user        the user namespace's id maps (only with {@code user}); null with {@code user}: none
 * @param timeOffsets the time namespace's clock offsets (only with {@code time}); null: zero
 * @param mountProc   mount a /proc that shows only the sandbox's processes; null: when pid and mnt are both asked
 * @param ttl         the lifetime; null: the configured default
 * @param env         the environment, besides a minimal {@code PATH}
 */
public record SandboxSpec(
        Set<NamespaceType> namespaces,
        List<String> command,
        String hostname,
        UserMapping user,
        TimeOffsets timeOffsets,
        Boolean mountProc,
        Duration ttl,
        Map<String, String> env) {}
