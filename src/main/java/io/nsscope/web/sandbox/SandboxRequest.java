package io.nsscope.web.sandbox;

import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.sandbox.SandboxRequestException;
import io.nsscope.sandbox.SandboxSpec;
import io.nsscope.sandbox.TimeOffsets;
import io.nsscope.sandbox.UserMapping;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /sandboxes}. Checked here for shape (types, the mapping's form) and by the sandbox
 * service for content; every fault is a 400 naming the field.
 *
 * @param namespaces  the namespace types to create
 * @param command     argv, its first element an absolute path
 * @param hostname    host name in the new uts namespace
 * @param user        the user namespace's id mapping
 * @param timeOffsets the new time namespace's clock offsets
 * @param mountProc   mount a /proc of the sandbox's own
 * @param ttlSeconds  lifetime in seconds
 * @param env         environment variables
 */
@Schema(description = "A sandbox to create: a command to run in new namespaces.")
public record SandboxRequest(
        @Schema(
                description = "The namespace types to create: a non-empty subset of the eight. The sandbox shares "
                        + "the other types with nsscope.",
                example = "[\"pid\",\"mnt\",\"net\",\"uts\",\"ipc\"]",
                requiredMode = Schema.RequiredMode.REQUIRED)
        List<String> namespaces,

        @Schema(
                description = "The command as an argv array (never a shell string); its first element is an "
                        + "absolute path matching nsscope.sandbox.allowed-executables.",
                example = "[\"/bin/sleep\",\"600\"]",
                requiredMode = Schema.RequiredMode.REQUIRED)
        List<String> command,

        @Schema(
                description = "The host name inside (only with uts): RFC 1123 labels, at most 64 bytes. Unset: the "
                        + "host's.",
                example = "box1",
                nullable = true)
        String hostname,

        @Schema(description = "The user namespace's id mapping (only with user). Unset: none.", nullable = true)
        UserRequest user,

        @Schema(description = "The time namespace's clock offsets (only with time). Unset: zero.", nullable = true)
        OffsetsRequest timeOffsets,

        @Schema(
                description = "Mount a /proc that shows only the sandbox's processes (needs pid and mnt). Unset: "
                        + "true when pid and mnt are both asked.",
                nullable = true)
        Boolean mountProc,

        @Schema(
                description = "Seconds until the sandbox is killed (state expired). Unset: "
                        + "nsscope.sandbox.default-ttl; at most nsscope.sandbox.max-ttl.",
                example = "600",
                nullable = true)
        Long ttlSeconds,

        @Schema(
                description = "Environment variables of the command, besides a minimal PATH (unless given here) "
                        + "and NSSCOPE_SANDBOX_ID. Nothing of nsscope's own environment is passed.",
                example = "{\"LANG\":\"C.UTF-8\"}",
                nullable = true)
        Map<String, String> env) {

    /**
     * @param mapping {@code "none"}, {@code "root"} or an array of {@code {inside, outside, count}}
     */
    @Schema(description = "A user namespace's id mapping.")
    public record UserRequest(
            @Schema(
                    description = "\"none\": no map, like unshare -U (inside, id -u prints 65534). \"root\": root "
                            + "inside is the sandbox's pool UID outside. Or an array of {inside, outside, "
                            + "count} maps, for UIDs and GIDs alike; outside ranges must lie in "
                            + "nsscope.sandbox.uid-pool and not overlap.",
                    example = "root",
                    oneOf = {String.class, IdRange[].class})
            Object mapping) {}

    /**
     * @param monotonic seconds added to CLOCK_MONOTONIC
     * @param boottime  seconds added to CLOCK_BOOTTIME
     */
    @Schema(description = "Clock offsets of the new time namespace, in seconds.")
    public record OffsetsRequest(
            @Schema(description = "Seconds added to CLOCK_MONOTONIC.", example = "86400", nullable = true)
            Long monotonic,

            @Schema(
                    description = "Seconds added to CLOCK_BOOTTIME (and /proc/uptime).",
                    example = "86400",
                    nullable = true)
            Long boottime) {}

    /** The fields of one map of an explicit mapping (an untyped object: the mapping may also be a string). */
    private static final Set<String> MAP_FIELDS = Set.of("inside", "outside", "count");

    SandboxSpec toSpec() {
        if (namespaces == null) {
            throw new SandboxRequestException("namespaces", "Give the namespace types to create.");
        }
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        for (int i = 0; i < namespaces.size(); i++) {
            String name = namespaces.get(i);
            int at = i;
            types.add(NamespaceType.fromKernelName(name)
                    .orElseThrow(() -> new SandboxRequestException(
                            "namespaces[" + at + "]",
                            "'" + name + "' is not a namespace type; valid types are "
                                    + String.join(", ", NamespaceType.kernelNames()) + ".")));
        }
        TimeOffsets offsets = timeOffsets == null
                ? null
                : new TimeOffsets(
                        timeOffsets.monotonic() == null ? 0 : timeOffsets.monotonic(),
                        timeOffsets.boottime() == null ? 0 : timeOffsets.boottime());
        return new SandboxSpec(
                types,
                command,
                hostname,
                user == null ? null : mapping(user.mapping()),
                offsets,
                mountProc,
                ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds),
                env);
    }

    private static UserMapping mapping(Object mapping) {
        if ("none".equals(mapping)) {
            return UserMapping.none();
        }
        if ("root".equals(mapping)) {
            return UserMapping.root();
        }
        if (!(mapping instanceof List<?> list)) {
            throw new SandboxRequestException(
                    "user.mapping", "The mapping is \"none\", \"root\" or an array of {inside, outside, count}.");
        }
        List<IdRange> maps = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "user.mapping[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new SandboxRequestException(at, "A map is an object {inside, outside, count}.");
            }
            for (Object key : m.keySet()) {
                if (!MAP_FIELDS.contains(key)) {
                    throw new SandboxRequestException(
                            at + "." + key,
                            "Unknown field '" + key + "'; the fields of a" + " map are inside, outside and count.");
                }
            }
            maps.add(new IdRange(number(m, "inside", at), number(m, "outside", at), number(m, "count", at)));
        }
        return UserMapping.explicit(maps);
    }

    private static long number(Map<?, ?> map, String key, String at) {
        Object value = map.get(key);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        // Jackson reads integers past 64 bits as BigInteger, and 1e40 or 0.5 as a floating-point number.
        throw new SandboxRequestException(
                at + "." + key,
                value instanceof java.math.BigInteger ? key + " is out of range." : key + " is a whole number.");
    }
}
