package io.nsscope.web.sandbox;

import io.nsscope.namespace.IdRange;
import io.nsscope.sandbox.Sandbox;
import io.nsscope.web.security.Redaction;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sandbox as {@code /sandboxes} shows it; {@link Sandbox} says what each field is.
 *
 * @param id         its id
 * @param pid        its first process's host PID
 * @param nspid      that process's NSpid
 * @param namespaces the inodes of its namespaces by type
 * @param created    the types created for it
 * @param hostname   its host name
 * @param uidMap     its UID map
 * @param gidMap     its GID map
 * @param hostUid    its pool UID
 * @param state      its state, lower case
 * @param exitCode   its exit code
 * @param signal     the signal that ended it
 * @param createdAt  its start
 * @param expiresAt  its TTL's end
 * @param endedAt    its end
 * @param command    its argv, maybe redacted
 * @param adopted    adopted from a previous run
 */
@Schema(description = "A sandbox: a process nsscope started in new namespaces.")
public record SandboxView(
        @Schema(
                description = "The sandbox's id; its processes carry it as NSSCOPE_SANDBOX_ID.",
                example = "sb-3f9c2a7d1e4b8c05")
        String id,

        @Schema(description = "The host PID of its first process (PID 1 of its pid namespace).", example = "31337")
        int pid,

        @Schema(
                description = "That process's PID in each pid namespace it is in, outermost first (NSpid).",
                example = "[31337, 1]")
        List<Integer> nspid,

        @Schema(
                description = "The inode of each of its eight namespaces by type, created or shared with nsscope.",
                example = "{\"pid\": 4026532342, \"net\": 4026532345}")
        Map<String, Long> namespaces,

        @Schema(description = "The types of namespace created for it.", example = "[\"mnt\",\"net\",\"pid\"]")
        List<String> created,

        @Schema(
                description = "Its host name (with a uts namespace and a host name asked), else null.",
                example = "box1",
                nullable = true)
        String hostname,

        @Schema(
                description =
                        "Its user namespace's UID map (empty for mapping none); null without a user " + "namespace.",
                nullable = true)
        List<IdRange> uidMap,

        @Schema(description = "Its user namespace's GID map, the same as uidMap.", nullable = true)
        List<IdRange> gidMap,

        @Schema(
                description = "The host UID and GID its processes run as, from nsscope.sandbox.uid-pool (never 0).",
                example = "200000")
        long hostUid,

        @Schema(
                description = "running; exited (on its own: see exitCode or signal); killed (DELETE or shutdown); "
                        + "expired (its TTL ended).",
                allowableValues = {"running", "exited", "killed", "expired"})
        String state,

        @Schema(description = "Its first process's exit code, when it exited on its own.", nullable = true)
        Integer exitCode,

        @Schema(description = "The signal that ended its first process, if one did (9 when killed).", nullable = true)
        Integer signal,

        @Schema(description = "When it was started.") Instant createdAt,
        @Schema(description = "When its TTL ends.") Instant expiresAt,

        @Schema(description = "When it ended, or null.", nullable = true)
        Instant endedAt,

        @Schema(
                description = "Its argv (only the executable with nsscope.api.redact-command-args).",
                example = "[\"/bin/sleep\",\"600\"]")
        List<String> command,

        @Schema(description = "Whether this run of nsscope adopted it from a previous run (no logs, no exit code).")
        boolean adopted) {

    static SandboxView of(Sandbox s) {
        return new SandboxView(
                s.id(),
                s.pid(),
                s.nspid(),
                s.namespaces(),
                s.created(),
                s.hostname(),
                s.uidMap(),
                s.gidMap(),
                s.hostUid(),
                s.state().name().toLowerCase(Locale.ROOT),
                s.exitCode(),
                s.signal(),
                s.createdAt(),
                s.expiresAt(),
                s.endedAt(),
                Redaction.argv(s.command()),
                s.adopted());
    }

    /**
     * @param sandboxes the running and recently ended sandboxes, oldest first
     */
    @Schema(description = "Every sandbox nsscope knows: running ones and recently ended ones.")
    public record Listing(
            @Schema(description = "The sandboxes, oldest first.")
            List<SandboxView> sandboxes) {}
}
