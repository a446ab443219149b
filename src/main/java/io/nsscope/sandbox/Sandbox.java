package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sandbox as it is now: the read-only view {@link SandboxService} hands out.
 *
 * @param id         its id, also in its processes' environment as {@code NSSCOPE_SANDBOX_ID}
 * @param pid        its first process's PID on the host
 * @param nspid      that process's PID in every pid namespace it is in, outermost first ({@code NSpid})
 * @param namespaces the inode of each of its namespaces by type, the eight of them (created or shared)
 * @param created    the types of namespace created for it
 * @param hostname   its uts namespace's host name, or null without one
 * @param uidMap     its user namespace's UID map (empty for mapping {@code none}), or null without one
 * @param gidMap     its GID map, like {@code uidMap}
 * @param hostUid    the UID (and GID) its first process runs as on the host, from the pool
 * @param state      where it is in its life
 * @param exitCode   the exit code once exited on its own, else null
 * @param signal     the signal that ended it, else null
 * @param createdAt  when it started
 * @param expiresAt  when its TTL ends
 * @param endedAt    when it ended, or null
 * @param command    its argv
 * @param adopted    whether this run of nsscope adopted it from a previous one (no logs, no exit status)
 */
public record Sandbox(
        String id,
        int pid,
        List<Integer> nspid,
        Map<String, Long> namespaces,
        List<String> created,
        String hostname,
        List<IdRange> uidMap,
        List<IdRange> gidMap,
        long hostUid,
        SandboxState state,
        Integer exitCode,
        Integer signal,
        Instant createdAt,
        Instant expiresAt,
        Instant endedAt,
        List<String> command,
        boolean adopted) {}
