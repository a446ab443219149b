package io.nsscope.web;

import io.nsscope.namespace.Namespace;
import io.nsscope.process.Container;
import io.nsscope.process.ProcessInfo;
import io.nsscope.scan.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The container, pod or systemd unit of a process, as its {@code /proc/<pid>/cgroup} path names it (see
 * {@link Container}).
 *
 * @param runtime     who made the cgroup: containerd, cri-o, docker, podman, lxc, systemd-nspawn, cri, or systemd
 * @param containerId the container's ID (or name for lxc and systemd-nspawn); null for systemd
 * @param podUid      the Kubernetes pod UID (dashed) or podman pod ID; null outside a pod
 * @param unit        the innermost systemd service or scope (else slice) of the path; null when systemd is not involved
 */
@Schema(
        description = "The container, pod or systemd unit a process runs in, recognised from its cgroup path "
                + "(/proc/PID/cgroup). Null when the path names none (the root cgroup, an unknown layout) or "
                + "is unreadable.")
public record ContainerView(
        @Schema(
                description = "Who made the cgroup: containerd (cri-containerd-ID.scope, nerdctl-ID.scope), cri-o "
                        + "(crio-ID.scope, crio-conmon-ID.scope), docker (docker-ID.scope, /docker/ID), podman "
                        + "(libpod-ID.scope, libpod-conmon-ID.scope), lxc (lxc.payload.NAME, /lxc/NAME), "
                        + "systemd-nspawn (systemd-nspawn@NAME.service), cri (a Kubernetes container under the "
                        + "kubelet's cgroupfs driver, /kubepods/QOS/podUID/ID, which does not name the runtime), or "
                        + "systemd (no container, a systemd unit).",
                example = "containerd",
                allowableValues = {"containerd", "cri-o", "docker", "podman", "lxc", "systemd-nspawn", "cri", "systemd"
                })
        String runtime,

        @Schema(
                description = "The container's ID as its runtime names it (64 hex digits), or its name for lxc and "
                        + "systemd-nspawn; null for systemd.",
                nullable = true,
                example = "3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29")
        String containerId,

        @Schema(
                description = "The pod: a Kubernetes pod's UID in its dashed form (the systemd cgroup driver writes "
                        + "it with underscores), or a podman pod's ID; null when not in a pod.",
                nullable = true,
                example = "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f")
        String podUid,

        @Schema(
                description = "The innermost systemd unit in the cgroup path: a service or scope (nginx.service, "
                        + "user@1000.service, session-3.scope, docker-ID.scope), else a slice; null when systemd does "
                        + "not manage the cgroup (/docker/ID).",
                nullable = true,
                example = "session-3.scope")
        String unit) {

    static ContainerView of(Container c) {
        return c == null ? null : new ContainerView(c.runtime(), c.containerId(), c.podUid(), c.unit());
    }

    /**
     * The model's container of a namespace's lowest-PID process (the process lsns names in its PID column), or null:
     * for {@code NamespaceView} and the {@code ?container=} and {@code ?pod=} filters of {@code /namespaces}.
     */
    static Container containerOf(Namespace ns, Snapshot snapshot) {
        return ns.lowestPid() == null
                ? null
                : snapshot.process(ns.lowestPid()).map(ProcessInfo::container).orElse(null);
    }

    /** Plain text: {@code runtime:id} (the ID cut to 12 characters, as docker ps shows it), or the unit, or "-". */
    static String brief(ContainerView c) {
        if (c == null) {
            return "-";
        }
        if (c.containerId() == null) {
            return c.runtime() + ":" + (c.unit() == null ? "-" : c.unit());
        }
        String id = c.containerId().length() > 12 && c.containerId().matches("[0-9a-f]+")
                ? c.containerId().substring(0, 12)
                : c.containerId();
        return c.runtime() + ":" + id;
    }
}
