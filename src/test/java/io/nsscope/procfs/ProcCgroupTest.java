package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcCgroupTest {

    @Test
    void cgroupV2HasOneUnifiedLine() {
        ProcCgroup cgroup = ProcCgroup.parse("0::/system.slice/ssh.service\n");
        assertThat(cgroup.entries()).containsExactly(new ProcCgroup.Entry(0, List.of(), "/system.slice/ssh.service"));
        assertThat(cgroup.entries().get(0).isUnified()).isTrue();
        assertThat(cgroup.paths()).containsExactly("/system.slice/ssh.service");
    }

    @Test
    void v1LinesAreOrderedV2FirstThenNameSystemdThenTheRest() {
        // A hybrid host (Ubuntu 20.04 style): v1 controllers, systemd's named hierarchy and the unified one.
        ProcCgroup cgroup = ProcCgroup.parse("""
                12:freezer:/docker/4b7e1f0c9a2d3e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f
                11:cpu,cpuacct:/docker/4b7e1f0c9a2d3e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f
                10:rdma:/
                1:name=systemd:/system.slice/containerd.service
                0::/system.slice/containerd.service
                """);
        assertThat(cgroup.entries()).hasSize(5);
        assertThat(cgroup.entries().get(1).controllers()).containsExactly("cpu", "cpuacct");
        assertThat(cgroup.entries().get(3).controllers()).containsExactly("name=systemd");
        assertThat(cgroup.entries().get(3).isUnified()).isFalse();
        assertThat(cgroup.paths())
                .containsExactly(
                        "/system.slice/containerd.service",
                        "/docker/4b7e1f0c9a2d3e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f",
                        "/");
    }

    @Test
    void pureV1HostWithoutUnifiedLineStartsWithNameSystemd() {
        ProcCgroup cgroup = ProcCgroup.parse("""
                4:memory:/user.slice
                1:name=systemd:/user.slice/user-1000.slice/session-2.scope
                """);
        assertThat(cgroup.paths()).containsExactly("/user.slice/user-1000.slice/session-2.scope", "/user.slice");
    }

    @Test
    void removedCgroupLosesTheDeletedMarkAndPathsMayClimbOutOfACgroupNamespace() {
        assertThat(ProcCgroup.parse("0::/system.slice/gone.service (deleted)\n").paths())
                .containsExactly("/system.slice/gone.service");
        assertThat(ProcCgroup.parse("0::/../../system.slice/ssh.service\n").paths())
                .containsExactly("/../../system.slice/ssh.service");
    }

    @Test
    void pathsMayContainColonsAndMalformedLinesAreSkipped() {
        ProcCgroup cgroup = ProcCgroup.parse("""
                garbage
                x:cpu:/a
                5:devices:/kubepods-besteffort-pod0125ec2f_b64a_4868_8f5b_94b56cbab864.slice:cri-containerd:ab12
                """);
        assertThat(cgroup.entries())
                .containsExactly(new ProcCgroup.Entry(
                        5,
                        List.of("devices"),
                        "/kubepods-besteffort-pod0125ec2f_b64a_4868_8f5b_94b56cbab864.slice:cri-containerd:ab12"));
        assertThat(ProcCgroup.parse("").paths()).isEmpty();
    }

    @Test
    void theNamespaceRootIsTheOutsidePathWithoutTheInsideOne() {
        assertThat(ProcCgroup.namespaceRoot("/system.slice/box.scope", "/")).isEqualTo("/system.slice/box.scope");
        assertThat(ProcCgroup.namespaceRoot("/system.slice/box.scope/inner", "/inner"))
                .isEqualTo("/system.slice/box.scope");
        assertThat(ProcCgroup.namespaceRoot("/inner", "/inner")).isEqualTo("/");
        // Moved out of the namespace's root: no root can be derived.
        assertThat(ProcCgroup.namespaceRoot("/other", "/../other")).isNull();
        assertThat(ProcCgroup.namespaceRoot("/ab/c", "/b/c")).isNull();
    }
}
