package io.nsscope.process;

import java.util.List;

/**
 * The container, pod or systemd unit a process runs in, as its control group tells it: recognised from a path of
 * {@code /proc/<pid>/cgroup} (cgroups(7)) by the names that container runtimes and systemd give their cgroups, the
 * way lxkns and {@code systemd-cgls} see them. Nothing here asks a runtime; a layout nsscope does not know gives no
 * container.
 *
 * @param runtime     who made the cgroup: {@code containerd} ({@code cri-containerd-<id>.scope},
 *                    {@code nerdctl-<id>.scope}), {@code cri-o} ({@code crio-<id>.scope},
 *                    {@code crio-conmon-<id>.scope}), {@code docker} ({@code docker-<id>.scope}, {@code /docker/<id>}),
 *                    {@code podman} ({@code libpod-<id>.scope}, {@code libpod-conmon-<id>.scope}), {@code lxc}
 *                    ({@code lxc.payload.<name>}, {@code lxc.monitor.<name>}, {@code /lxc/<name>}),
 *                    {@code systemd-nspawn} ({@code systemd-nspawn@<name>.service}), {@code cri} (a Kubernetes
 *                    container whose runtime the kubelet's cgroupfs driver does not name:
 *                    {@code /kubepods/<qos>/pod<uid>/<id>}), or {@code systemd} when the process is in no container
 *                    but in a systemd unit
 * @param containerId the container's ID as its runtime names it (64 hex digits for containerd, CRI-O, Docker and
 *                    podman; the container's name for LXC and systemd-nspawn); {@code null} for {@code systemd}
 * @param podUid      the pod the container belongs to: a Kubernetes pod's UID in its usual dashed form (the systemd
 *                    cgroup driver writes it with underscores, {@code kubepods-burstable-pod<uid>.slice}; the cgroupfs
 *                    driver as is, {@code pod<uid>}), or a podman pod's ID ({@code machine-libpod_pod_<id>.slice});
 *                    {@code null} when not in a pod
 * @param unit        the innermost systemd unit of the path: a service or scope ({@code nginx.service},
 *                    {@code user@1000.service}, {@code session-3.scope}, {@code docker-<id>.scope}), else a slice;
 *                    {@code null} when systemd does not manage the cgroup ({@code /docker/<id>})
 */
public record Container(String runtime, String containerId, String podUid, String unit) {

    /** The runtime of a process that is in a systemd unit and in no container. */
    public static final String SYSTEMD = "systemd";

    /**
     * What one cgroup path says, or {@code null} when it names no container and no systemd unit ({@code /}, a
     * layout nsscope does not know).
     */
    public static Container fromCgroupPath(String path) {
        return CgroupLayouts.recognize(path);
    }

    /**
     * What the most telling of a process's cgroup paths says (given most telling first, as
     * {@code ProcCgroup.paths()} orders them): the first that names a container, else the first that names a
     * systemd unit, else {@code null}. On a cgroup v1 host the v2 or {@code name=systemd} path may only say
     * {@code containerd.service} while the {@code memory} hierarchy's says {@code /docker/<id>}.
     */
    public static Container fromCgroupPaths(List<String> paths) {
        Container unitOnly = null;
        for (String path : paths) {
            Container c = fromCgroupPath(path);
            if (c != null && c.isContainer()) {
                return c;
            }
            if (unitOnly == null) {
                unitOnly = c;
            }
        }
        return unitOnly;
    }

    /** Whether a container runtime made the cgroup, rather than systemd alone. */
    public boolean isContainer() {
        return !SYSTEMD.equals(runtime);
    }

    /** Whether its container ID starts with this prefix (as {@code docker ps} IDs abbreviate them). */
    public boolean idStartsWith(String prefix) {
        return containerId != null && containerId.startsWith(prefix);
    }
}
