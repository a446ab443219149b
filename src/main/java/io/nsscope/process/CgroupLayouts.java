package io.nsscope.process;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cgroup path layouts of container runtimes and systemd, recognised segment by segment. The innermost
 * container-like segment wins (a container nested in another is reported as the inner one); {@code ..} segments,
 * which appear when the reader is in a cgroup namespace of its own, are skipped.
 */
final class CgroupLayouts {

    private static final String HEX = "([0-9a-f]{12,64})";

    /** Runtime-named cgroups: systemd scopes made by the runtime or by runc/crun for it, and cgroupfs leaves. */
    private static final List<Layout> SCOPES = List.of(
            new Layout("containerd", Pattern.compile("cri-containerd-" + HEX + "\\.scope")),
            new Layout("containerd", Pattern.compile("nerdctl-" + HEX + "\\.scope")),
            new Layout("cri-o", Pattern.compile("crio-(?:conmon-)?" + HEX + "\\.scope")),
            new Layout("docker", Pattern.compile("docker-" + HEX + "\\.scope")),
            new Layout("podman", Pattern.compile("libpod-(?:conmon-)?" + HEX + "(?:\\.scope)?")),
            new Layout("lxc", Pattern.compile("lxc\\.(?:payload|monitor)\\.(.+)")),
            new Layout("systemd-nspawn", Pattern.compile("systemd-nspawn@(.+)\\.service")));

    /** A bare ID under a directory that names the runtime: the cgroupfs drivers' layout. */
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-f]{64}");

    /** A pod UID: dashed (underscored by the systemd driver), or 32 hex digits for a static pod (a hash). */
    private static final String UID =
            "([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{32})";

    private static final Pattern SYSTEMD_POD = Pattern.compile("(?:.*-)?pod" + UID + "\\.slice(?::.*)?");
    private static final Pattern CGROUPFS_POD = Pattern.compile("pod" + UID);
    /**
     * containerd with the systemd driver on a host whose kubelet uses cgroupfs writes its cgroupsPath literally:
     * {@code kubepods-besteffort-pod<uid>.slice:cri-containerd:<id>}.
     */
    private static final Pattern LITERAL_SYSTEMD_PATH =
            Pattern.compile(".*\\.slice:(cri-containerd|crio|docker):" + HEX);

    private static final Pattern PODMAN_POD = Pattern.compile("machine-libpod_pod_" + HEX + "\\.slice");

    private record Layout(String runtime, Pattern pattern) {}

    private CgroupLayouts() {}

    static Container recognize(String path) {
        List<String> segments = segments(path);
        String podUid = null;
        String unit = null;
        String slice = null;
        String runtime = null;
        String id = null;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            String parent = i == 0 ? "" : segments.get(i - 1);
            podUid = pod(segment, podUid);
            if (segment.endsWith(".service") || segment.endsWith(".scope")) {
                unit = segment;
            } else if (segment.endsWith(".slice")) {
                slice = segment;
            }
            for (Layout layout : SCOPES) {
                Matcher m = layout.pattern().matcher(segment);
                if (m.matches()) {
                    runtime = layout.runtime();
                    id = m.group(1);
                }
            }
            Matcher literal = LITERAL_SYSTEMD_PATH.matcher(segment);
            if (literal.matches()) {
                runtime = switch (literal.group(1)) {
                    case "cri-containerd" -> "containerd";
                    case "crio" -> "cri-o";
                    default -> "docker";
                };
                id = literal.group(2);
            } else if (BARE_ID.matcher(segment).matches() && bareRuntime(parent) != null) {
                runtime = bareRuntime(parent);
                id = segment;
            } else if (parent.equals("lxc") && i == 1) {
                runtime = "lxc";
                id = segment;
            }
        }
        if (unit == null) {
            unit = slice;
        }
        if (runtime != null) {
            return new Container(runtime, id, podUid, unit);
        }
        return unit == null ? null : new Container(Container.SYSTEMD, null, null, unit);
    }

    /** The runtime a cgroupfs parent directory names: {@code /docker/<id>}, {@code /kubepods/.../pod<uid>/<id>}. */
    private static String bareRuntime(String parent) {
        if (parent.equals("docker")) {
            return "docker";
        }
        if (parent.equals("crio")) {
            return "cri-o";
        }
        if (CGROUPFS_POD.matcher(parent).matches()) {
            return "cri";
        }
        return null;
    }

    private static String pod(String segment, String previous) {
        Matcher m = SYSTEMD_POD.matcher(segment);
        if (m.matches()) {
            return m.group(1).replace('_', '-');
        }
        m = CGROUPFS_POD.matcher(segment);
        if (m.matches()) {
            return m.group(1);
        }
        m = PODMAN_POD.matcher(segment);
        if (m.matches()) {
            return m.group(1);
        }
        return previous;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals("..") && !s.equals(".")) {
                segments.add(s);
            }
        }
        return segments;
    }
}
