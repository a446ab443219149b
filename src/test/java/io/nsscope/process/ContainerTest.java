package io.nsscope.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cgroup layouts of the common runtimes, with paths as real hosts show them in /proc/PID/cgroup. */
class ContainerTest {

    private static final String ID = "d0b3604b67ac7930dd34ba3a796627e3e4717d12309e90a4afe3f38b6816ac98";
    private static final String POD = "7d4424e6-bb13-42f4-a47a-45a4828bf54d";
    private static final String POD_ = POD.replace('-', '_');

    @Test
    void containerdUnderTheKubeletsSystemdDriver() {
        assertThat(Container.fromCgroupPath("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_
                        + ".slice/cri-containerd-" + ID + ".scope"))
                .isEqualTo(new Container("containerd", ID, POD, "cri-containerd-" + ID + ".scope"));
        // Guaranteed QoS has no QoS slice; kind nests everything under kubelet.slice.
        assertThat(Container.fromCgroupPath(
                        "/kubepods.slice/kubepods-pod" + POD_ + ".slice/cri-containerd-" + ID + ".scope"))
                .isEqualTo(new Container("containerd", ID, POD, "cri-containerd-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath("/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
                        + "kubelet-kubepods-besteffort-pod" + POD_ + ".slice/cri-containerd-" + ID + ".scope"))
                .isEqualTo(new Container("containerd", ID, POD, "cri-containerd-" + ID + ".scope"));
    }

    @Test
    void nerdctlIsContainerd() {
        assertThat(Container.fromCgroupPath("/system.slice/nerdctl-" + ID + ".scope"))
                .isEqualTo(new Container("containerd", ID, null, "nerdctl-" + ID + ".scope"));
    }

    @Test
    void staticPodsHaveAHashForUid() {
        assertThat(Container.fromCgroupPath("/kubepods.slice/kubepods-burstable.slice/"
                        + "kubepods-burstable-pod8daa50c3a64c9ff60bb9eab7b44b56fd.slice/cri-containerd-" + ID
                        + ".scope"))
                .extracting(Container::podUid)
                .isEqualTo("8daa50c3a64c9ff60bb9eab7b44b56fd");
    }

    @Test
    void theCgroupfsDriverNamesNoRuntime() {
        assertThat(Container.fromCgroupPath("/kubepods/burstable/pod" + POD + "/" + ID))
                .isEqualTo(new Container("cri", ID, POD, null));
        assertThat(Container.fromCgroupPath("/kubepods/pod" + POD + "/" + ID))
                .isEqualTo(new Container("cri", ID, POD, null));
    }

    @Test
    void containerdWritingTheSystemdCgroupsPathLiterally() {
        assertThat(Container.fromCgroupPath("/system.slice/containerd.service/kubepods-besteffort-pod" + POD_
                        + ".slice:cri-containerd:" + ID))
                .isEqualTo(new Container("containerd", ID, POD, "containerd.service"));
    }

    @Test
    void crioAndItsConmon() {
        String pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_ + ".slice/";
        assertThat(Container.fromCgroupPath(pod + "crio-" + ID + ".scope"))
                .isEqualTo(new Container("cri-o", ID, POD, "crio-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath(pod + "crio-conmon-" + ID + ".scope"))
                .isEqualTo(new Container("cri-o", ID, POD, "crio-conmon-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath("/crio/" + ID)).isEqualTo(new Container("cri-o", ID, null, null));
        // Newer CRI-O puts the payload in a sub-cgroup of the scope.
        assertThat(Container.fromCgroupPath(pod + "crio-" + ID + ".scope/container"))
                .isEqualTo(new Container("cri-o", ID, POD, "crio-" + ID + ".scope"));
    }

    @Test
    void dockerWithEitherDriver() {
        assertThat(Container.fromCgroupPath("/system.slice/docker-" + ID + ".scope"))
                .isEqualTo(new Container("docker", ID, null, "docker-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath("/docker/" + ID)).isEqualTo(new Container("docker", ID, null, null));
        // Docker as the kubelet's runtime (dockershim).
        assertThat(Container.fromCgroupPath("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_
                        + ".slice/docker-" + ID + ".scope"))
                .isEqualTo(new Container("docker", ID, POD, "docker-" + ID + ".scope"));
        // Docker in Docker: the inner container.
        String inner = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0";
        assertThat(Container.fromCgroupPath("/docker/" + ID + "/docker/" + inner))
                .extracting(Container::containerId)
                .isEqualTo(inner);
    }

    @Test
    void podmanRootfulRootlessConmonAndPods() {
        assertThat(Container.fromCgroupPath("/machine.slice/libpod-" + ID + ".scope"))
                .isEqualTo(new Container("podman", ID, null, "libpod-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath("/machine.slice/libpod-conmon-" + ID + ".scope"))
                .isEqualTo(new Container("podman", ID, null, "libpod-conmon-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath(
                        "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope/container"))
                .isEqualTo(new Container("podman", ID, null, "libpod-" + ID + ".scope"));
        String podId = "5c1e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d";
        assertThat(Container.fromCgroupPath(
                        "/machine.slice/machine-libpod_pod_" + podId + ".slice/libpod-" + ID + ".scope"))
                .isEqualTo(new Container("podman", ID, podId, "libpod-" + ID + ".scope"));
        assertThat(Container.fromCgroupPath("/libpod_parent/libpod-" + ID))
                .isEqualTo(new Container("podman", ID, null, null));
    }

    @Test
    void lxcAndNspawnByName() {
        assertThat(Container.fromCgroupPath("/lxc.payload.web1")).isEqualTo(new Container("lxc", "web1", null, null));
        assertThat(Container.fromCgroupPath("/lxc.payload.web1/system.slice/nginx.service"))
                .isEqualTo(new Container("lxc", "web1", null, "nginx.service"));
        assertThat(Container.fromCgroupPath("/lxc.monitor.web1")).isEqualTo(new Container("lxc", "web1", null, null));
        assertThat(Container.fromCgroupPath("/lxc/web1")).isEqualTo(new Container("lxc", "web1", null, null));
        assertThat(Container.fromCgroupPath("/machine.slice/systemd-nspawn@debian.service/payload"))
                .isEqualTo(new Container("systemd-nspawn", "debian", null, "systemd-nspawn@debian.service"));
    }

    @Test
    void systemdServicesScopesAndUserSlices() {
        assertThat(Container.fromCgroupPath("/system.slice/ssh.service"))
                .isEqualTo(new Container("systemd", null, null, "ssh.service"));
        assertThat(Container.fromCgroupPath("/init.scope"))
                .isEqualTo(new Container("systemd", null, null, "init.scope"));
        assertThat(Container.fromCgroupPath("/user.slice/user-1000.slice/session-2.scope"))
                .isEqualTo(new Container("systemd", null, null, "session-2.scope"));
        assertThat(Container.fromCgroupPath(
                        "/user.slice/user-1000.slice/user@1000.service/app.slice/" + "dbus-broker.service"))
                .isEqualTo(new Container("systemd", null, null, "dbus-broker.service"));
        assertThat(Container.fromCgroupPath("/user.slice/user-1000.slice/user@1000.service/init.scope"))
                .isEqualTo(new Container("systemd", null, null, "init.scope"));
        assertThat(Container.fromCgroupPath("/system.slice"))
                .isEqualTo(new Container("systemd", null, null, "system.slice"));
        // Seen from inside a cgroup namespace of its own.
        assertThat(Container.fromCgroupPath("/../../system.slice/cron.service"))
                .isEqualTo(new Container("systemd", null, null, "cron.service"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/docker", "/foo/" + ID, "/kubepods/burstable", "/user/1000.user/c2.session"})
    void nothingRecognisedIsNull(String path) {
        assertThat(Container.fromCgroupPath(path)).isNull();
    }

    @Test
    void theMostTellingPathNamesAContainer() {
        // A cgroup v1 host: the unified and name=systemd lines only see containerd.service, memory sees Docker.
        assertThat(Container.fromCgroupPaths(List.of("/system.slice/containerd.service", "/docker/" + ID, "/")))
                .isEqualTo(new Container("docker", ID, null, null));
        assertThat(Container.fromCgroupPaths(List.of("/", "/user.slice/user-1000.slice/session-2.scope")))
                .isEqualTo(new Container("systemd", null, null, "session-2.scope"));
        assertThat(Container.fromCgroupPaths(List.of("/system.slice/a.service", "/system.slice/b.service")))
                .extracting(Container::unit)
                .isEqualTo("a.service");
        assertThat(Container.fromCgroupPaths(List.of("/"))).isNull();
        assertThat(Container.fromCgroupPaths(List.of())).isNull();
    }

    @Test
    void containerIdPrefixes() {
        Container docker = new Container("docker", ID, null, null);
        assertThat(docker.isContainer()).isTrue();
        assertThat(docker.idStartsWith("d0b3604b67ac")).isTrue();
        assertThat(docker.idStartsWith("d0b3604b67ad")).isFalse();
        Container unit = new Container("systemd", null, null, "ssh.service");
        assertThat(unit.isContainer()).isFalse();
        assertThat(unit.idStartsWith("")).isFalse();
    }
}
