package io.nsscope.web;

import io.nsscope.details.DetailError;
import io.nsscope.details.NamespaceDetails;
import io.nsscope.details.NamespaceDetails.ClockOffset;
import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.namespace.IdRange;
import io.nsscope.web.text.SafeText;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The plain-text form of a namespace's details: a few {@code key: value} lines, the interfaces of a network namespace
 * laid out as {@code ip -br addr} lays them out ({@code ?} for a state procfs does not give), the PID map as
 * {@code NSpid} lists; values escaped as lsns escapes them ({@link SafeText}).
 */
final class DetailsText {

    private DetailsText() {}

    /** The lines, each ending with a newline; empty when there is nothing to show. */
    static String render(NamespaceDetails d) {
        if (d == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (d.user() != null) {
            NamespaceDetails.User u = d.user();
            line(out, "uid_map", u.uidMap() == null ? null : ranges(u.uidMap()));
            line(out, "gid_map", u.gidMap() == null ? null : ranges(u.gidMap()));
            line(out, "setgroups", u.setgroups());
            line(out, "owner", u.ownerUid() == null ? null : u.ownerUid() + " (" + u.owner() + ")");
        } else if (d.pid() != null) {
            NamespaceDetails.Pid p = d.pid();
            line(out, "level", p.level());
            line(out, "init", p.init());
            if (!p.pidMap().isEmpty()) {
                line(
                        out,
                        "pid map (host ... inside)",
                        p.pidMap().stream()
                                .map(e -> e.nspid().isEmpty()
                                        ? e.pid() + ":?"
                                        : e.nspid().stream()
                                                .map(String::valueOf)
                                                .collect(Collectors.joining(":")))
                                .collect(Collectors.joining(" ")));
            }
        } else if (d.uts() != null) {
            line(out, "hostname", d.uts().hostname());
            line(out, "domainname", d.uts().domainname());
        } else if (d.net() != null && d.net().interfaces() != null) {
            for (NetInterface i : d.net().interfaces()) {
                String name = i.name()
                        + (i.linkIndex() == null
                                ? ""
                                : "@"
                                        + (i.linkNetnsid() != null
                                                ? "if" + i.linkIndex()
                                                : peerName(d.net().interfaces(), i)));
                out.append(SafeText.escape(String.format(
                                        "%-16s %-14s %s",
                                        name, i.state() == null ? "?" : i.state(), String.join(" ", i.addresses()))
                                .strip()))
                        .append('\n');
            }
            List<String> without = d.net().addressesWithoutInterface();
            line(
                    out,
                    "addresses without interface",
                    without == null || without.isEmpty() ? null : String.join(" ", without));
        } else if (d.mnt() != null) {
            line(out, "mounts", d.mnt().mounts());
            if (d.mnt().root() != null) {
                NamespaceDetails.RootMount r = d.mnt().root();
                line(out, "root", r.source() + " " + r.fsType() + " " + r.fsRoot() + " (" + r.propagation() + ")");
            }
        } else if (d.time() != null) {
            line(out, "monotonic", offset(d.time().monotonic()));
            line(out, "boottime", offset(d.time().boottime()));
        } else if (d.cgroup() != null) {
            line(out, "cgroup root", d.cgroup().root());
            if (d.cgroup().hierarchies() != null && d.cgroup().hierarchies().size() > 1) {
                for (NamespaceDetails.CgroupRoot r : d.cgroup().hierarchies()) {
                    line(out, "  " + r.hierarchy() + ":" + r.controllers(), r.root());
                }
            }
        } else if (d.ipc() != null) {
            NamespaceDetails.Ipc i = d.ipc();
            if (i.sharedMemorySegments() != null) {
                line(
                        out,
                        "sysvipc",
                        "shm " + i.sharedMemorySegments() + ", sem " + i.semaphoreSets() + ", msg "
                                + i.messageQueues());
            }
        }
        DetailError error = d.error();
        if (error != null) {
            line(out, "details unreadable", error.reason() + ": " + error.message());
        }
        return out.toString();
    }

    private static String peerName(List<NetInterface> all, NetInterface i) {
        return all.stream()
                .filter(o -> Objects.equals(o.index(), i.linkIndex()))
                .map(NetInterface::name)
                .findFirst()
                .orElse("if" + i.linkIndex());
    }

    private static String ranges(List<IdRange> ranges) {
        return ranges.isEmpty()
                ? "(none)"
                : ranges.stream()
                        .map(r -> r.inside() + " " + r.outside() + " " + r.count())
                        .collect(Collectors.joining(", "));
    }

    private static String offset(ClockOffset o) {
        return o == null ? null : o.seconds() + " " + o.nanoseconds();
    }

    private static void line(StringBuilder out, String key, Object value) {
        if (value != null) {
            out.append(key)
                    .append(": ")
                    .append(SafeText.escape(String.valueOf(value)))
                    .append('\n');
        }
    }
}
